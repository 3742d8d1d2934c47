#!/bin/sh
# update-refused.sh: a failed update says whether the old TDX module still
# runs.  An update whose VMCLEAR step refuses on one CPU ends before the
# step that would shut the module down, with -EBUSY (tdx-host's
# "device-busy": the old module still runs) and no P-SEAMLDR call, as the
# emulated CPU counts them; so does one whose shutdown step fails, as
# tdx_module_shutdown() does, shutting nothing down.  One whose install
# fails on one CPU, after the shutdown, ends with -EIO ("hw-error": no
# module runs).  One while no update is left is refused before the
# shutdown, -ENOSPC ("flash-wearout"), and so is one while SEAMLDR_INFO is
# unread after the last update, -EBUSY.  After each, a good update still
# works: the failure left nothing behind in the update flow.
. /e2e/guest-lib.sh
rc=0
# step MODE ERRNO-TEXT SHUTDOWNS CALLS-MAY: the update of trigger mode MODE
# fails with ERRNO-TEXT, reaches the shutdown step SHUTDOWNS times (0, 1),
# and makes no P-SEAMLDR call unless CALLS-MAY is "calls".
step() {
	calls0=$(seamemu total seamcall) || exit 1
	shut0=$(cat $SEAMLDR_SHUTDOWNS)
	if got=$(trigger "$1"); then
		echo "FAIL: the $1 update succeeded"
		rc=1
		return
	fi
	calls1=$(seamemu total seamcall)
	shut1=$(cat $SEAMLDR_SHUTDOWNS)
	echo "$1: '$got'; shutdown steps reached: $((shut1 - shut0)); P-SEAMLDR calls: $((calls1 - calls0))"
	[ "$got" = "$2" ] || { echo "FAIL: $1: expected '$2'"; rc=1; }
	[ $((shut1 - shut0)) = "$3" ] || { echo "FAIL: $1: expected $3 shutdown step(s)"; rc=1; }
	[ "$4" = calls ] || [ "$calls1" = "$calls0" ] || { echo "FAIL: $1: P-SEAMLDR calls made"; rc=1; }
	trigger update 1 >/dev/null || { echo "FAIL: a good update after $1 failed"; rc=1; }
	[ "$(cat $SEAMLDR_SHUTDOWNS)" = $((shut1 + 1)) ] ||
		{ echo "FAIL: the good update after $1 didn't reach the shutdown step once"; rc=1; }
}
step refuse "Device or resource busy" 0 none
step refuse-shutdown "Device or resource busy" 0 none
step fail-install "Input/output error" 1 calls
step no-updates-left "No space left on device" 0 none
step info-unread "Device or resource busy" 0 none
exit $rc
