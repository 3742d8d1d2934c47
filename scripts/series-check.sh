#!/bin/sh
# Layer series-check: every patch of patches/ passes checkpatch --strict
# --no-signoff (exit status 0 and no report: checkpatch_verdict in lib.sh),
# every upstream commit a changelog cites is one harness/upstream-commits.txt lists (checkpatch
# can't check them: build/linux has no upstream history, so its
# UNKNOWN_COMMIT_ID check is the one it skips), and every commit of
# build/linux past 'base' builds on top of the ones before it with the e2e
# config (KVM_INTEL=m, KVM_WERROR=y, PROVE_LOCKING and the series' test
# options).  Builds are incremental in build/out/e2e, ending at the series
# head.  TAP: build/tap/series-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
t=$tree
tap_open series-check
[ -z "$(git -C "$t" status --porcelain -uno)" ] ||
	die "build/linux has uncommitted changes; commit or stash them"
mkdir -p "$out"
t0=$(now)

for p in $(series); do
	# Debian's python3 runs checkpatch's SPDX check.
	rep=$(cd "$t" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff \
		--ignore UNKNOWN_COMMIT_ID --terse "$p" 2>&1)
	rc=$?
	if checkpatch_verdict "$rc" "$rep"; then
		ok "checkpatch --strict ${p##*/}"
	else
		not_ok "checkpatch --strict ${p##*/} (exit $rc)"
		echo "$rep" | grep -v '^total:' | head -20 | diag
	fi
done

# Cited commits: 'ID ("SUBJECT")', ID 12 to 40 hex digits.
list=$top/harness/upstream-commits.txt
bad=$(cat $(series) | grep -o -E '\b[0-9a-f]{12,40} \("[^"]+"\)' | sort -u | while read -r id subj; do
	subj=${subj#(\"}; subj=${subj%\")}
	awk -F '\t' -v id="$id" -v s="$subj" '!/^#/ && (index($1, id) == 1 || index(id, $1) == 1) && $2 == s { f = 1 }
		END { exit !f }' "$list" || echo "$id (\"$subj\")"
done)
n=$(cat $(series) | grep -o -E '\b[0-9a-f]{12,40} \("[^"]+"\)' | sort -u | grep -c . || true)
if [ -z "$bad" ]; then ok "the $n upstream commit references are in harness/upstream-commits.txt"
else not_ok "upstream commit references not in harness/upstream-commits.txt"; echo "$bad" | diag; fi

head=$(git -C "$t" symbolic-ref -q --short HEAD || git -C "$t" rev-parse HEAD)
i=0
for c in $(git -C "$t" rev-list --reverse base..HEAD); do
	i=$((i + 1))
	git -C "$t" checkout -q "$c"
	step=$out/series-step.log
	if "$top/scripts/kbuild.sh" e2e >"$step" 2>&1; then
		ok "build $(printf '%04d' "$i"): $(git -C "$t" log -1 --format=%s "$c")"
	else
		not_ok "build $(printf '%04d' "$i"): $(git -C "$t" log -1 --format=%s "$c")"
		diag <"$step"
	fi
done
git -C "$t" checkout -q "$head"
echo "series-check: $(($(now) - t0)) s"
tap_close
