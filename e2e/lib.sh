# Sourced by the guest-side helpers: the emulation's debugfs files, its
# total call count (every mode, every CPU, offline ones too; a stop_machine
# call counts once per CPU it ran on), from the stats file's lines
# "cpuN MODE=CALLS/FOUND ... cleared=N moved=N nmis=N nops=N", and kvm_intel's
# test-only knobs (CONFIG_KVM_INTEL_PROVE_VMCS).
d=/sys/kernel/debug/x86/tdx_seamldr
kp=/sys/module/kvm_intel/parameters
calls() {
	awk '$1 ~ /^cpu/ { for (i = 2; i <= NF; i++) { split($i, a, /[=\/]/)
		if (a[1] ~ /^(stop_machine|single|raw)$/) n += a[2] } }
		END { print n + 0 }' $d/stats
}
