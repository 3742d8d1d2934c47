#!/bin/sh
# nmi.sh quiet|warn: KVM_INTEL_PROVE_VMCS's NMI rule, with the test kit's
# knob kvm_intel.prove_vmcs_nmi_vmread and NMIs the trigger sends to the
# other CPUs while guests run.
#   quiet  the knob's VMREADs happen only inside KVM's guest-NMI window
#          (knob 2): vmcs_assert_not_in_nmi() must stay quiet, and some
#          VMREADs must have happened there (the knob counts them), or the
#          step tested nothing.
#   warn   the knob VMREADs from every host NMI that finds a vCPU loaded
#          (knob 1): vmcs_assert_not_in_nmi() must WARN, from that handler.
#          The negative step.
. /e2e/guest-lib.sh
warned() { dmesg | grep -A2 -E 'WARNING:.*vmx_ops\.h' | grep -q vmx_testkit_nmi; }
knob=$KVM_INTEL_PARAMS/prove_vmcs_nmi_vmread
reads=$KVM_INTEL_PARAMS/prove_vmcs_nmi_vmreads
send() {
	i=0
	while [ $i -lt "$1" ] && ! warned; do
		trigger nmi 20 >/dev/null || { echo "FAIL: 'nmi 20' rejected"; return 1; }
		i=$((i + 20))
	done
	echo "$i NMI rounds sent"
}
guests() { /tests/seamldr_vmcs_test -m nop -n 1 -d "$1" -s 60 >/tmp/nmi-guests.out 2>&1 & }
if warned; then
	echo "FAIL: the kernel log has the WARN before the test"
	exit 1
fi
case $1 in
quiet)
	r0=$(cat $reads)
	echo 2 >$knob || exit 1
	guests 10
	send 2000 || exit 1
	wait
	echo 0 >$knob
	n=$(($(cat $reads) - r0))
	if warned; then
		echo "FAIL: vmcs_assert_not_in_nmi() WARNed on VMREADs inside the guest-NMI window"
		exit 1
	fi
	[ "$n" -gt 0 ] || { echo "FAIL: no NMI reached a guest: no VMREAD inside the window"; exit 1; }
	echo "$n VMREADs from NMIs inside KVM's guest-NMI window, no WARN"
	;;
warn)
	echo 1 >$knob || exit 1
	guests 10
	send 4000
	wait
	echo 0 >$knob
	if ! warned; then
		echo "FAIL: no WARN from vmcs_assert_not_in_nmi() in vmx_testkit_nmi()"
		exit 1
	fi
	dmesg | grep -A4 -E 'WARNING:.*vmx_ops\.h' | head -5
	echo "vmcs_assert_not_in_nmi() fired on a VMREAD from NMI context outside the VM-exit window"
	;;
*)
	echo "usage: nmi.sh quiet|warn"
	exit 1
	;;
esac
