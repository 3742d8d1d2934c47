#!/bin/sh
# with.sh VMCLEAR COMMAND...: run COMMAND with KVM's VMCLEAR callback as
# VMCLEAR says: "full", the series' callback, or "current-only", the test
# kit's knob kvm_intel.prove_vmcs_vmclear_current_only, which clears the
# current VMCS only.  Put back to full afterwards, whatever COMMAND did.
# Exits with COMMAND's status, or 1 if the setting didn't take.
. /e2e/guest-lib.sh
knob=$KVM_INTEL_PARAMS/prove_vmcs_vmclear_current_only
case $1 in
full) want=N ;;
current-only) want=Y ;;
*) echo "with.sh: unknown VMCLEAR '$1'"; exit 1 ;;
esac
shift
if ! echo $want >$knob || [ "$(cat $knob)" != $want ]; then
	echo "FAIL: could not set $knob to $want"
	echo N >$knob
	exit 1
fi
echo "KVM's VMCLEAR callback: $( [ $want = Y ] && echo current-only || echo full)"
"$@"
rc=$?
echo N >$knob
exit $rc
