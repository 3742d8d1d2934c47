#!/bin/sh
# with.sh SEAMRET FLUSH COMMAND...: run COMMAND with the emulated SEAMRET
# clearing SEAMRET's VMCSs ("current": the current VMCS and its shadow, as
# the pseudocode documents; "all": every VMCS active on the CPU, as a part
# that evicts its whole VMCS cache may) and with KVM's flush FLUSH ("full":
# the series' flush; "current-only": the test-only flush that clears the
# current VMCS only, kvm_intel.prove_vmcs_flush_current_only).  Both are
# put back to current and full afterwards, whatever COMMAND did.  Exits
# with COMMAND's status, or 1 if a setting didn't take.
. /e2e/lib.sh
seamret=$1 flush=$2
shift 2
case $flush in
full) knob=0 ;;
current-only) knob=1 ;;
*) echo "with.sh: unknown flush '$flush'"; exit 1 ;;
esac
restore() { echo current >$d/seamret; echo 0 >$kp/prove_vmcs_flush_current_only; }
if ! echo "$seamret" >$d/seamret || [ "$(cat $d/seamret)" != "$seamret" ] ||
	! echo $knob >$kp/prove_vmcs_flush_current_only ||
	[ "$(cat $kp/prove_vmcs_flush_current_only)" != "$([ $knob = 1 ] && echo Y || echo N)" ]; then
	echo "FAIL: could not set SEAMRET '$seamret' and flush '$flush'"
	restore
	exit 1
fi
echo "emulated SEAMRET clears: $seamret; KVM's flush: $flush"
"$@"
rc=$?
restore
exit $rc
