#!/bin/sh
# bad-input.sh: the test kit's trigger rejects what it can't do with the
# errno a user can act on, and makes no P-SEAMLDR call for it (the
# emulated CPU's own count); a good write, the positive control, makes
# exactly the calls an update makes: one per online CPU and the refresh.
. /e2e/guest-lib.sh
[ -w $SEAMLDR_TRIGGER ] || { echo "no $SEAMLDR_TRIGGER: is CONFIG_INTEL_TDX_SEAMLDR_TRIGGER on?"; exit 1; }
rc=0
before=$(seamemu total seamcall) || exit 1
while IFS='|' read -r w want; do
	if got=$(trigger "$w"); then
		echo "FAIL: accepted '$w'"
		rc=1
	elif [ "$got" = "$want" ]; then
		echo "rejected '$w': $got"
	else
		echo "FAIL: '$w' rejected with '$got', expected '$want'"
		rc=1
	fi
done <<'WRITES'
bogus|Invalid argument
update x|Invalid argument
update 0|Invalid argument
update 100001|Invalid argument
install 2|Invalid argument
raw -1|Invalid argument
WRITES
after=$(seamemu total seamcall)
[ "$after" = "$before" ] || { echo "FAIL: rejected writes made $((after - before)) P-SEAMLDR calls"; rc=1; }
cpus=$(grep -c ^processor /proc/cpuinfo)
if trigger update 1 >/dev/null && [ "$(seamemu total seamcall)" = $((after + cpus + 1)) ]; then
	echo "accepted 'update 1': $((cpus + 1)) P-SEAMLDR calls counted by the CPU"
else
	echo "FAIL: 'update 1' not accepted, or not $((cpus + 1)) calls: $(seamemu total seamcall) after $after"
	rc=1
fi
exit $rc
