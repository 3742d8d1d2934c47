# Sourced by the guest-side helpers: the emulation's debugfs files and its
# total call count (every mode, every CPU; a stop_machine call counts once
# per CPU), from the stats file's "cpuN MODE=CALLS/FOUND ... cleared=N".
d=/sys/kernel/debug/x86/tdx_seamldr
calls() {
	awk '{ for (i = 2; i <= NF; i++) { split($i, a, /[=\/]/); if (a[1] != "cleared") n += a[2] } }
		END { print n + 0 }' $d/stats
}
