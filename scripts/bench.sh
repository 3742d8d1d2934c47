#!/bin/sh
# Stage bench: bench.sh RUN turns the perf test's lines in RUN/serial.txt
# (seamldr_vmcs_perf_test, run by the bench plan) into RUN/bench.md and
# RUN/bench.svg (gnuplot), and prints them: the cost of a call against the
# VMCSs loaded on the calling CPU, with its ratio to the floor and its
# slope; the counts per call and per vCPU, checked against the cover
# letter's claim; a guest's round trips without and with calls; and the
# cost model for real hardware, the counts times bench/latencies.txt.
# Cycles are Bochs's guest TSC, which follows the emulated instruction
# count: only ratios and slopes carry over, and the counts.  Exits 1 if
# the output is missing or incomplete, or the claim doesn't hold.
# --no-plot: the table and the claim only (scripts/check-harness.sh).
. "$(dirname "$0")/../scripts/lib.sh"
plot=1
[ "${1:-}" = --no-plot ] && { plot=0; shift; }
run=$1
txt=$run/serial.txt md=$run/bench.md dat=$run/bench.dat
lines() { sed -n "s/^# $1 //p" "$txt" | tr -d '\r'; }
neg() { sed -n "s/^# NEG $1 //p" "$txt" | tr -d '\r'; }
# key=value fields as v[key], and each line's first field as v[0].
kv='function kv(  i, a) { delete v; for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] } }'

[ "$(lines cost | wc -l)" -ge 2 ] && [ "$(lines vcpu | wc -l)" = 2 ] &&
	[ "$(lines roundtrip | wc -l)" -ge 1 ] ||
	die "no complete perf test output in ${txt#"$top"/}; run 'make bench'"

# ctx n samples call_min call_p50 call_p99 floor_p50 vmclear_min vmclear_max
lines cost | awk "$kv"'{ kv(); print v["ctx"], v["n"], v["samples"], v["call_min"], v["call_p50"],
	v["call_p99"], v["floor_p50"], v["vmclear_min"], v["vmclear_max"] }' >"$dat"

# The claim: N VMCLEARs per call, and a first run after a call costs one
# VMPTRLD, one VMLAUNCH and one TLB flush, a run after none nothing.
# judge: cost and vcpu lines on stdin.
judge() { awk "$kv"'{ kv() }
	$0 ~ /^ctx=/ && (v["vmclear_min"] != v["n"] || v["vmclear_max"] != v["n"]) {
		bad = bad sprintf(" %s N=%s made %s-%s VMCLEARs;", v["ctx"], v["n"], v["vmclear_min"], v["vmclear_max"]) }
	$0 ~ /^kind=after_call/ && (v["vmptrld"] != v["runs"] || v["vmlaunch"] != v["runs"] || v["tlb_flush"] != v["runs"]) {
		bad = bad sprintf(" %s runs after a call: %s VMPTRLD, %s VMLAUNCH, %s TLB flushes;", v["runs"], v["vmptrld"], v["vmlaunch"], v["tlb_flush"]) }
	$0 ~ /^kind=no_call/ && (v["vmptrld"] != 0 || v["vmlaunch"] != 0 || v["tlb_flush"] != 0) {
		bad = bad sprintf(" %s runs after no call: %s VMPTRLD, %s VMLAUNCH, %s TLB flushes;", v["runs"], v["vmptrld"], v["vmlaunch"], v["tlb_flush"]) }
	END { print bad ? "does not hold:" bad : "holds" }'; }
claim=$( { lines cost; lines vcpu; } | judge)
# The negative control (the bench plan's last step): the same run with
# the test-only flush of the current VMCS only must break the claim, on
# its VMCLEARs.
negative=$( { neg cost; neg vcpu; } | judge)
case $(neg cost | wc -l):$negative in
0:*) negative="missing: no output of the negative step" ;;
*"does not hold:"*"VMCLEARs"*) negative="caught: ${negative#does not hold: }" ;;
*) negative="NOT caught: the claim $negative with the current-only flush" ;;
esac

{
echo "#### Cost of one call against the VMCSs loaded on the calling CPU"
echo
echo "Guest TSC cycles in Bochs, which follow the emulated instruction count, not"
echo "time: read the ratios and slopes.  Over N = 0: what the loaded VMCSs add, the"
echo "flush's own cost.  Floor: the same call's emulated SEAMCALL (its side effect)"
echo "alone, without the lock and the flush, a few instructions: a real P-SEAMLDR call"
echo "is nothing like that, so call / floor says nothing about real hardware."
echo
echo "| context | loaded VMCSs | calls | call min | call p50 | call p99 | p50 over N = 0 | floor p50 | call / floor (p50) | VMCLEARs per call |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk 'NR == FNR { if ($2 == 0) c0[$1] = $5; next }
	{ printf "| %s | %d | %d | %d | %d | %d | %d | %d | %.1f | %s |\n", $1, $2, $3, $4, $5, $6,
	$5 - c0[$1], $7, $7 ? $5 / $7 : 0, $8 == $9 ? $8 : $8 "-" $9 }' "$dat" "$dat"
echo
# Least squares of the call's p50 on N, per context.
awk '{ n[$1]++; sx[$1] += $2; sy[$1] += $5; sxx[$1] += $2 * $2; sxy[$1] += $2 * $5
	if ($2 == 0) { c0[$1] = $5; f0[$1] = $7 } }
END { for (c in n) { b = (n[c] * sxy[c] - sx[c] * sy[c]) / (n[c] * sxx[c] - sx[c] * sx[c])
	a = (sy[c] - b * sx[c]) / n[c]
	printf "- %s: call p50 = %.0f + %.0f N cycles (least squares); each loaded VMCS adds %.2f of the call with none loaded, %.2f of the floor\n",
		c, a, b, c0[c] ? b / c0[c] : 0, f0[c] ? b / f0[c] : 0 } }' "$dat" | sort
echo
echo "#### Counts (they don't depend on the emulator)"
echo
echo "| one vCPU's run | runs | VMPTRLD | VMLAUNCH | VMRESUME | TLB flushes (KVM's tlb_flush stat) |"
echo "|---|---|---|---|---|---|"
lines vcpu | awk "$kv"'{ kv(); printf "| %s | %d | %d | %d | %d | %d |\n",
	v["kind"] == "after_call" ? "first run after a call on its CPU" : "run after no call",
	v["runs"], v["vmptrld"], v["vmlaunch"], v["vmresume"], v["tlb_flush"] }'
echo
echo "(sums over the runs; VMRESUMEs count every VM-entry of a run after its first)"
echo
echo "Claim (one VMCLEAR per loaded VMCS per call; one VMPTRLD, one VMLAUNCH and one TLB flush per vCPU's first run after it): **$claim**"
echo
echo "Negative control, the same counts with KVM's flush clearing the current VMCS only (kvm_intel.prove_vmcs_flush_current_only): **$negative**"
echo
echo "#### A guest's CPUID round trips, on the calling CPU"
echo
echo "Guest TSC cycles (Bochs).  Stall: per call, the longest round trip that overlapped it"
echo "(calls before the first round trip or after the last overlap none)."
echo
echo "| calls | round trips | p50 | p99 | max | calls made | stalls | stall p50 | stall max |"
echo "|---|---|---|---|---|---|---|---|---|"
lines roundtrip | awk "$kv"'{ kv(); printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v["calls"],
	v["round_trips"], v["p50"], v["p99"], v["max"], v["calls"] == "none" ? "-" : v["made"],
	v["calls"] == "none" ? "-" : v["stalls"], v["stall_p50"] ? v["stall_p50"] : "-", v["stall_max"] ? v["stall_max"] : "-" }'
echo
lines roundtrip | awk "$kv"'{ kv(); s[v["calls"]] = v["stall_p50"]; rt = v["p50"] }
END { for (m = 1; m <= 2; m++) { c = m == 1 ? "stop_machine" : "single"
	if (s[c] && s[c "_nop"])
		printf "- %s: the calls add %d cycles to the median stall over their load alone (%s_nop), %.1f median round trips\n",
			c, s[c] - s[c "_nop"], c, (s[c] - s[c "_nop"]) / rt } }'
echo
echo "#### Cost model for real hardware (modelled, not measured)"
echo
echo "The counts above times bench/latencies.txt (sources: bench/SOURCES.md).  No Intel"
echo "server core has a published VMCLEAR, VMPTRLD or VMLAUNCH latency: each is taken as"
echo "one CPUID exit round trip under KVM, a proxy meant as an upper bound.  An update"
echo "makes one call per CPU at once under stop_machine() and then one SEAMLDR_INFO call:"
echo "each CPU flushes before taking seamldr_lock, so two flushes lie on its critical"
echo "path, whatever the number of CPUs.  Last column: the same flushes made under the"
echo "lock, one CPU after another, as this series did before measuring it."
echo
echo "| vCPUs loaded per CPU | flush per call, IRQs off | per vCPU, first run after | added to an update | of a 10 ms update | under the lock, CPUs in turn |"
echo "|---|---|---|---|---|---|"
awk '$1 !~ /^#/ && NF { l[$1] = $2 }
END { for (i = 1; i <= 3; i++) { n = i == 1 ? 1 : i == 2 ? 64 : 512
	call = n * l["vmclear"]; per = l["vmptrld"] + l["vmlaunch_extra"] + l["tlb_refill"]
	upd = 2 * call; ser = (l["cpus"] + 1) * call
	printf "| %d | %.1f us | %.1f us | %.1f us | %.2f%% | %.2f ms on %d CPUs (%.0f%%) |\n", n, call / 1000,
		per / 1000, upd / 1000, 100 * upd / (l["update"] * 1e6), ser / 1e6, l["cpus"],
		100 * ser / (l["update"] * 1e6) } }' "$top/bench/latencies.txt"
} >"$md"
cat "$md"

if [ $plot = 1 ]; then
{ svg_head "$run/bench.svg" "bench: one emulated P-SEAMLDR call vs VMCSs loaded on the calling CPU (Bochs guest TSC cycles: instruction count, not time)"
	cat <<GP
set key top left
set grid
set xlabel "VMCSs loaded on the calling CPU"
set ylabel "TSC cycles (p50, bars: min..p99)"
set yrange [0:*]
plot '$dat' using (strcol(1) eq "single" ? \$2 : 1/0):5:4:6 with yerrorlines lw 2 pt 7 title 'call, single CPU', \
	'' using (strcol(1) eq "stop_machine" ? \$2 : 1/0):5:4:6 with yerrorlines lw 2 pt 5 title 'call, stop_machine', \
	'' using (strcol(1) eq "single" ? \$2 : 1/0):7 with linespoints lw 1 dt 2 pt 6 title 'floor (side effect alone), single', \
	'' using (strcol(1) eq "stop_machine" ? \$2 : 1/0):7 with linespoints lw 1 dt 2 pt 4 title 'floor, stop_machine'
GP
} | gnuplot >"$run/bench-gnuplot.log" 2>&1 || die "gnuplot FAILED ($run/bench-gnuplot.log)"
echo "bench: ${run#"$top"/}/bench.md, ${run#"$top"/}/bench.svg"
fi
case $claim in holds) ;; *) die "the claim $claim" ;; esac
case $negative in caught:*) ;; *) die "the negative control: $negative" ;; esac
