#!/bin/sh
# Layer docs-check: each documentation directory the posting touches is
# built, on the base and at the end of the posting (build/linux's marker
# commit after patches/feature), each time into an empty output directory
# (Sphinx reports a warning only when it rebuilds the page): 'make
# htmldocs SPHINXDIRS=DIR', or for Documentation/ABI the kernel's own ABI
# validator (tools/docs/get_abi.py validate, which htmldocs runs too).  A
# directory fails if the posting's build fails or adds a warning (the base
# has a few of its own, elsewhere).  TAP: build/tap/docs-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
end=$(git -C "$tree" log --format='%H %s' base..HEAD |
	awk -v s="$(marker patches/feature)" 'substr($0, 42) == s { print $1 }')
[ -n "$end" ] || die "no marker '$(marker patches/feature)' in build/linux"
dirs=$(git -C "$tree" diff --name-only base "$end" -- Documentation |
	awk -F/ '$2 == "ABI" { print "ABI"; next } NF > 3 { print $2 "/" $3; next } { print $2 }' | sort -u)
[ -n "$dirs" ] || die "the posting touches no documentation"
wt=$out/docs-tree
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1
rm -rf "$wt"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$wt" "$end" || die "git worktree add FAILED"
tap_open docs-check
for d in $dirs; do
	tag=$(echo "$d" | tr / -)
	failed=
	for side in base series; do
		[ $side = base ] && src=$base_tree || src=$wt
		o=$out/docs-$side-$tag
		rm -rf "$o"
		mkdir -p "$o"
		# Debian's python3 has Sphinx; the docs build runs it through PATH.
		if [ "$d" = ABI ]; then
			(cd "$src" && PATH=/usr/bin:$PATH python3 tools/docs/get_abi.py \
				--dir Documentation/ABI validate) >"$o.log" 2>&1
		else
			(cd "$src" && PATH=/usr/bin:$PATH make -s O="$o" SPHINXDIRS="$d" htmldocs) >"$o.log" 2>&1
		fi || { echo "ERROR: the $d build failed" >>"$o.log"; [ $side = series ] && failed=1; }
		# Warnings name files by absolute path: make them comparable.
		grep -E 'WARNING|ERROR|Warning|Error' "$o.log" | sed -e "s#$src/##g" -e "s#$o/##g" |
			sort -u >"$o.warn"
	done
	if why=$(docs_verdict "$failed" "$out/docs-base-$tag.warn" "$out/docs-series-$tag.warn"); then
		ok "docs $d: no new warnings ($(grep -c . <"$out/docs-base-$tag.warn") on the base, $(grep -c . <"$out/docs-series-$tag.warn") with the posting)"
	else
		not_ok "docs $d: $(echo "$why" | head -1)"
		{ echo "$why" | tail -n +2; [ -n "$failed" ] && tail -5 "$out/docs-series-$tag.log"; } | diag
	fi
done
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$tree" worktree prune
tap_close
