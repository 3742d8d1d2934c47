#!/bin/sh
# update-refused.sh: an update whose VMCLEAR step refuses on one CPU ends
# before the step that would shut the TDX module down, reports -EBUSY
# (what tdx-host turns into "device-busy": the old module still runs), and
# makes no P-SEAMLDR call at all, as the emulated CPU counts them.  Then a
# good update still works: the refusal left nothing behind.
. /e2e/guest-lib.sh
rc=0
calls0=$(seamemu total seamcall) || exit 1
shut0=$(cat $SEAMLDR_SHUTDOWNS)
if got=$(trigger refuse); then
	echo "FAIL: the refusing update succeeded"
	exit 1
fi
calls1=$(seamemu total seamcall)
shut1=$(cat $SEAMLDR_SHUTDOWNS)
echo "refusing update: '$got'; shutdown steps reached: $((shut1 - shut0)); P-SEAMLDR calls: $((calls1 - calls0))"
[ "$got" = "Device or resource busy" ] || { echo "FAIL: expected EBUSY (failed before the shutdown)"; rc=1; }
[ "$shut1" = "$shut0" ] || { echo "FAIL: the update reached the shutdown step"; rc=1; }
[ "$calls1" = "$calls0" ] || { echo "FAIL: the refused update made P-SEAMLDR calls"; rc=1; }
trigger update 1 >/dev/null || { echo "FAIL: a good update after the refusal failed"; rc=1; }
shut2=$(cat $SEAMLDR_SHUTDOWNS)
[ "$shut2" = $((shut1 + 1)) ] || { echo "FAIL: the good update didn't reach the shutdown step once"; rc=1; }
[ $rc = 0 ] && echo "a good update after it reached the shutdown step and made $(( $(seamemu total seamcall) - calls1 )) calls"
exit $rc
