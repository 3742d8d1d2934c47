# guest-lib.sh: sourced by the guest-side helpers (/e2e/*.sh in the
# initramfs).  The test kit's trigger (testkit/, CONFIG_INTEL_TDX_SEAMLDR_
# TRIGGER), kvm_intel's parameters, and the emulated CPU's counters, which
# /bin/seamemu reads (e2e/seamemu.c).
SEAMLDR_TRIGGER=/sys/kernel/debug/x86/tdx_seamldr/trigger
SEAMLDR_SHUTDOWNS=/sys/kernel/debug/x86/tdx_seamldr/shutdowns
KVM_INTEL_PARAMS=/sys/module/kvm_intel/parameters
# trigger WORDS: write WORDS to the trigger; the error dd reports, or nothing.
trigger() {
	echo -n "$*" | dd of=$SEAMLDR_TRIGGER 2>/tmp/trigger.err && return 0
	sed -n "s/^dd: error writing '[^']*': //p" /tmp/trigger.err | head -1
	return 1
}
