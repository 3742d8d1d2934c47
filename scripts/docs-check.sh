#!/bin/sh
# Layer docs-check: 'make htmldocs' for each documentation directory the
# series touches, on the base and on the series head, each time into an
# empty output directory (Sphinx reports a warning only when it rebuilds
# the page); a warning the series adds fails that directory (the base has
# a few of its own, elsewhere).  TAP: build/tap/docs-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
dirs="virt/kvm/x86 arch/x86"
tap_open docs-check
for d in $dirs; do
	tag=$(echo "$d" | tr / -)
	for side in base series; do
		[ $side = base ] && src=$base_tree || src=$tree
		o=$out/docs-$side-$tag
		rm -rf "$o"
		mkdir -p "$o"
		# Debian's python3 has Sphinx; the docs build runs it through PATH.
		(cd "$src" && PATH=/usr/bin:$PATH make -s O="$o" SPHINXDIRS="$d" htmldocs) >"$o.log" 2>&1 ||
			echo "ERROR: htmldocs SPHINXDIRS=$d failed" >>"$o.log"
		# Warnings name files by absolute path: make them comparable.
		grep -E 'WARNING|ERROR' "$o.log" | sed "s#$src/##g" | sort -u >"$o.warn"
	done
	new=$(comm -13 "$out/docs-base-$tag.warn" "$out/docs-series-$tag.warn")
	if [ -z "$new" ]; then
		ok "htmldocs $d: no new warnings ($(grep -c . <"$out/docs-base-$tag.warn") on the base, $(grep -c . <"$out/docs-series-$tag.warn") with the series)"
	else
		not_ok "htmldocs $d: the series adds warnings"
		echo "$new" | diag
	fi
done
tap_close
