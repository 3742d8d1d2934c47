#!/bin/sh
# Layer series-check: every patch of the posting (patches/fixes and
# patches/feature; not the test kit) passes checkpatch --strict
# --no-signoff (exit status 0 and no report: checkpatch_verdict in lib.sh),
# every upstream commit a changelog cites is one fixtures/upstream-commits.txt
# lists (checkpatch can't check them: build/linux has no upstream history,
# so its UNKNOWN_COMMIT_ID check is the one it skips), and every commit of
# build/linux past 'base', the test kit's too, builds on top of the ones
# before it with the e2e config (KVM_INTEL=m, KVM_WERROR=y, PROVE_LOCKING
# and the test options).  checkpatch's question whether MAINTAINERS needs
# updating for an added file (FILE_PATH_CHANGES) is answered here instead:
# it is skipped only for a patch whose every added file a MAINTAINERS
# entry already covers (get_maintainer.pl names a maintainer for it).
# Builds are incremental in build/out/e2e, ending at the tree's head.  TAP:
# build/tap/series-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
t=$tree
tap_open series-check
[ -z "$(git -C "$t" status --porcelain -uno)" ] ||
	die "build/linux has uncommitted changes; commit or stash them"
mkdir -p "$out"
t0=$(now)

# covered PATCH: every file PATCH adds has a maintainer in MAINTAINERS.
covered() {
	for f in $(awk '/^--- \/dev\/null$/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$1"); do
		(cd "$t" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--m --no-r --no-l -f "$f" 2>/dev/null) |
			grep '(maintainer:' | grep -q -v 'maintainer:THE REST' || return 1
	done
	return 0
}
# The waiver's own negative control: a patch adding a file (README, in the
# tree) that no MAINTAINERS entry covers must not be waived.
printf '%s\n' '--- /dev/null' '+++ b/README' '@@ -0,0 +1 @@' '+int x;' >"$out/uncovered.patch"
if covered "$out/uncovered.patch"; then
	not_ok "the FILE_PATH_CHANGES waiver refuses a file only THE REST covers"
else
	ok "the FILE_PATH_CHANGES waiver refuses a file only THE REST covers"
fi
for p in $(posting); do
	ign=UNKNOWN_COMMIT_ID waived=
	# The warning asks whether MAINTAINERS needs updating; it doesn't when
	# every file added already has its maintainers there.  Say so.
	grep -q "^new file mode" "$p" && covered "$p" && ign=$ign,FILE_PATH_CHANGES waived=" (FILE_PATH_CHANGES waived: every added file has a maintainer in MAINTAINERS)"
	# Debian's python3 runs checkpatch's SPDX check.
	rep=$(cd "$t" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff \
		--ignore "$ign" --terse "$p" 2>&1)
	rc=$?
	q=${p%/*}; q=${q##*/}
	if checkpatch_verdict "$rc" "$rep"; then
		ok "checkpatch --strict $q/${p##*/}$waived"
	else
		not_ok "checkpatch --strict $q/${p##*/} (exit $rc)"
		echo "$rep" | grep -v '^total:' | head -20 | diag
	fi
done

# Cited commits: 'ID ("SUBJECT")', ID 12 to 40 hex digits.
list=$top/fixtures/upstream-commits.txt
bad=$(cat $(posting) | grep -o -E '\b[0-9a-f]{12,40} \("[^"]+"\)' | sort -u | while read -r id subj; do
	subj=${subj#(\"}; subj=${subj%\")}
	awk -F '\t' -v id="$id" -v s="$subj" '!/^#/ && (index($1, id) == 1 || index(id, $1) == 1) && $2 == s { f = 1 }
		END { exit !f }' "$list" || echo "$id (\"$subj\")"
done)
n=$(cat $(posting) | grep -o -E '\b[0-9a-f]{12,40} \("[^"]+"\)' | sort -u | grep -c . || true)
if [ -z "$bad" ]; then ok "the $n upstream commit references are in fixtures/upstream-commits.txt"
else not_ok "upstream commit references not in fixtures/upstream-commits.txt"; echo "$bad" | diag; fi

head=$(git -C "$t" symbolic-ref -q --short HEAD || git -C "$t" rev-parse HEAD)
i=0
for c in $(git -C "$t" rev-list --reverse base..HEAD); do
	# The markers between the queues change nothing.
	[ -n "$(git -C "$t" diff "$c^" "$c")" ] || continue
	i=$((i + 1))
	git -C "$t" checkout -q "$c"
	step=$out/series-step.log
	if SANITIZE=0 DESIGN=series "$top/scripts/kbuild.sh" e2e >"$step" 2>&1; then
		ok "build $(printf '%04d' "$i"): $(git -C "$t" log -1 --format=%s "$c")"
	else
		not_ok "build $(printf '%04d' "$i"): $(git -C "$t" log -1 --format=%s "$c")"
		diag <"$step"
	fi
done
git -C "$t" checkout -q "$head"
echo "series-check: $(($(now) - t0)) s"
tap_close
