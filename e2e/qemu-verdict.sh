# qemu-verdict.sh: sourced by e2e/qemu.sh in the guest, and by
# scripts/check-harness.sh, which judges it on bad cases.
#
# qemu_verdict BG GUEST QRC KVMERR SPLATS I3 FIRED FOUND CLEARED HOT CYCLES
# prints "pass", or "fail: REASON" for the first claim that does not hold.
#   BG: the writer's mode (none, nop, update, raw); GUEST: done, mismatch
#   or incomplete; QRC: QEMU's exit status; KVMERR: KVM errors in QEMU's
#   output; SPLATS: kernel log splats the step added; I3: the CPU's I3
#   violations; FIRED: writes made; FOUND: marks at which the CPU found a
#   VMCS current; CLEARED: VMCSs a SEAMRET cleared; HOT: hotplug period
#   (0: none); CYCLES: offline/online cycles made.
qemu_verdict() {
	bg=$1 guest=$2 qrc=$3 kvmerr=$4 splats=$5 i3=$6 fired=$7 found=$8 cleared=$9
	shift 9
	hot=$1 cycles=$2
	if [ "$bg" = raw ]; then
		# The negative control: it must break, and for its reason.
		if [ "$fired" -eq 0 ]; then echo "fail: no raw call fired"
		elif [ "$cleared" -eq 0 ]; then echo "fail: no raw call's SEAMRET cleared a VMCS"
		elif [ "$guest" = "done" ] && [ "$qrc" = 0 ] && [ "$kvmerr" -eq 0 ]; then
			echo "fail: the guest and QEMU survived calls without the VMCLEAR"
		elif [ "$splats" -le 0 ] && [ "$kvmerr" -eq 0 ]; then
			echo "fail: the guest or QEMU broke, but KVM reported no VMX failure"
		else echo pass; fi
		return
	fi
	if [ "$guest" != "done" ]; then echo "fail: the guest's work: $guest"
	elif [ "$qrc" != 0 ]; then echo "fail: QEMU exited $qrc"
	elif [ "$kvmerr" -ne 0 ]; then echo "fail: $kvmerr KVM errors in QEMU's output"
	elif [ "$splats" -ne 0 ]; then echo "fail: $splats new splats in the kernel log"
	elif [ "$i3" -ne 0 ]; then echo "fail: $i3 I3 violations (a VMCS loaded while active on another CPU)"
	elif [ "$bg" != none ] && [ "$fired" -eq 0 ]; then echo "fail: no $bg write fired"
	elif [ "$bg" = update ] && [ "$found" -eq 0 ]; then echo "fail: no call found a VMCS current"
	elif [ "$hot" -gt 0 ] && [ "$cycles" -eq 0 ]; then echo "fail: no CPU hotplug cycle"
	else echo pass; fi
}
