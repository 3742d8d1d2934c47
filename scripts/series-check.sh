#!/bin/sh
# make series-check: every patch of patches/ applies (make tree), passes
# checkpatch --strict --no-signoff, and builds on top of the ones before it
# with the e2e config (KVM_INTEL=m, KVM_WERROR=y, PROVE_LOCKING).  Builds are
# incremental in build/out/e2e, ending at the series head.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
t=$top/build/linux
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
mkdir -p "$top/build/out"
t0=$(date +%s)

# checkpatch, one line per patch.
for p in $(ls "$top"/patches/[0-9]*.patch 2>/dev/null | grep -v '/0000-'); do
	# Debian's python3 (python3-ply) runs checkpatch's SPDX check.
	out=$(cd "$t" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff --terse "$p" 2>&1 |
		grep -E 'ERROR|WARNING|CHECK')
	if [ -z "$out" ]; then ok "checkpatch --strict ${p##*/}"
	else nok "checkpatch --strict ${p##*/}"; echo "$out" | sed 's/^/#   /'; fi
done

# Build every commit past base, oldest first, and finally the head.
if [ -n "$(git -C "$t" status --porcelain -uno)" ]; then
	echo "series-check: build/linux has uncommitted changes; commit or stash them" >&2
	exit 1
fi
head=$(git -C "$t" symbolic-ref -q --short HEAD || git -C "$t" rev-parse HEAD)
commits=$(git -C "$t" rev-list --reverse base..HEAD)
[ -n "$commits" ] || commits=$(git -C "$t" rev-parse HEAD)
i=0
for c in $commits; do
	i=$((i + 1))
	name=$(git -C "$t" log -1 --format='%s' "$c")
	[ "$c" = "$(git -C "$t" rev-parse base)" ] && name="base (no patches)"
	git -C "$t" checkout -q "$c"
	step=$top/build/out/series-step.log
	if "$top/scripts/kbuild.sh" e2e "$t" "$top/build/out/e2e" "bzImage modules" -- \
		"$top/configs/base.config" "$top/configs/e2e.config" "$top/configs/debug.config" >"$step" 2>&1; then
		sed 's/^/#   /' "$step"
		ok "build $(printf '%04d' "$i"): $name"
	else
		sed 's/^/#   /' "$step"
		nok "build $(printf '%04d' "$i"): $name"
	fi
done
git -C "$t" checkout -q "$head"
echo "series-check: $pass passed, $fail failed ($(($(date +%s) - t0)) s)"
[ "$fail" = 0 ]
