#!/bin/sh
# with.sh KNOB COMMAND...: run COMMAND with one of the test kit's knobs
# that break KVM on purpose: "current-only" (kvm_intel.
# prove_vmcs_vmclear_current_only: the VMCLEAR callback clears the current
# VMCS only) or "skip-ipi-vmclear" (kvm_intel.prove_vmcs_skip_ipi_vmclear:
# a migration's IPI skips the VMCLEAR on the old CPU); "full" sets none.
# Put back afterwards, whatever COMMAND did.  Exits with COMMAND's status,
# or 1 if the setting didn't take.
. /e2e/guest-lib.sh
want=Y
case $1 in
full) knob=$KVM_INTEL_PARAMS/prove_vmcs_vmclear_current_only want=N ;;
current-only) knob=$KVM_INTEL_PARAMS/prove_vmcs_vmclear_current_only ;;
skip-ipi-vmclear) knob=$KVM_INTEL_PARAMS/prove_vmcs_skip_ipi_vmclear ;;
*) echo "with.sh: unknown knob '$1'"; exit 1 ;;
esac
shift
if ! echo $want >$knob || [ "$(cat $knob)" != $want ]; then
	echo "FAIL: could not set $knob to $want"
	echo N >$knob
	exit 1
fi
echo "${knob##*/}: $want"
"$@"
rc=$?
echo N >$knob
exit $rc
