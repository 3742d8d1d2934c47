#!/bin/sh
# nmi.sh: the negative step for KVM_INTEL_PROVE_VMCS's NMI rule, shown
# firing.  With kvm_intel.prove_vmcs_nmi_vmread=1, every host NMI that
# finds a vCPU loaded VMREADs its VMCS; the emulation sends NMIs to the
# other CPUs while guests run.  Passes only if vmcs_assert_not_in_nmi()
# WARNs, from that NMI handler, and only after the knob was set: before it,
# the same NMIs must leave the kernel log free of that WARN.
. /e2e/lib.sh
warned() { dmesg | grep -A2 -E 'WARNING:.*vmx_ops\.h' | grep -q vmx_prove_vmcs_nmi; }
fire_nmis() {
	i=0
	while [ $i -lt "$1" ] && ! warned; do
		echo "nmi 20" >$d/fire || { echo "FAIL: 'nmi 20' rejected"; return 1; }
		i=$((i + 20))
	done
	echo "$i NMI rounds sent"
}
guests() { /tests/seamldr_vmcs_test -n 1 -d "$1" -s 60 >/tmp/nmi-guests.out 2>&1 & }
if warned; then
	echo "FAIL: the kernel log has the WARN before the test"
	exit 1
fi
echo 0 >$kp/prove_vmcs_nmi_vmread || exit 1
guests 5
fire_nmis 200 || exit 1
wait
if warned; then
	echo "FAIL: NMIs WARNed with prove_vmcs_nmi_vmread=0"
	exit 1
fi
echo "control: 200 NMI rounds under running guests with prove_vmcs_nmi_vmread=0, no WARN"
echo 1 >$kp/prove_vmcs_nmi_vmread || exit 1
guests 10
fire_nmis 4000
wait
echo 0 >$kp/prove_vmcs_nmi_vmread
if ! warned; then
	echo "FAIL: no WARN from vmcs_assert_not_in_nmi() in vmx_prove_vmcs_nmi()"
	exit 1
fi
dmesg | grep -A4 -E 'WARNING:.*vmx_ops\.h' | head -5
echo "vmcs_assert_not_in_nmi() fired on a VMREAD from NMI context outside the VM-exit window"
