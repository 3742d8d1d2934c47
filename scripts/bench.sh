#!/bin/sh
# Stage bench: bench.sh RUN turns the perf test's lines in RUN/serial.txt
# (testkit's seamldr_vmcs_perf_test, run by e2e/bench.plan) into
# RUN/bench.md and RUN/bench.svg (gnuplot), and prints them: per update,
# the VMCLEARs the emulated CPU counted against the VMCSs loaded on one
# CPU, and the update's length; per vCPU, what its first run after an
# update costs its CPU; a guest's round trips alone, under the updates'
# load without calls, and under updates; and the cost model for real
# hardware, the counts times bench/latencies.txt.  Every count comes from
# the emulated CPU, or KVM's own tlb_flush statistic; times are Bochs's
# guest time, which follows the emulated instruction count.
#
# Exits 1 unless the output is whole (the header, a cost line for every N
# of the grid 0, 1, 2, 4, ... max_vcpus with the header's sample count,
# both vCPU lines with its run count, the three round-trip lines, every
# field a number, and the end line), the claim holds (every update made
# exactly N VMCLEARs on the CPU with N VMCSs loaded; a first run after an
# update one VMPTRLD, one VMLAUNCH and at least one TLB flush; a run after
# none no VMPTRLD, no VMLAUNCH and at least one VMRESUME: a host interrupt
# during a run adds VM entries, VMRESUMEs, which are counted, not judged),
# and the negative step (its lines prefixed NEG: the current-only VMCLEAR)
# breaks the claim on its VMCLEARs.  --no-plot: no picture (check-harness).
. "$(dirname "$0")/../scripts/lib.sh"
plot=1
[ "${1:-}" = --no-plot ] && { plot=0; shift; }
run=$1
txt=$run/serial.txt md=$run/bench.md dat=$run/bench.dat
[ -f "$txt" ] || die "no ${txt#"$top"/}; run 'make bench'"

# whole: header, cost, vcpu, round_trips and done lines on stdin (without
# their "# " prefix), all there and all numbers; prints what's missing.
whole() { awk '
	function num(k) { return (k in v) && v[k] ~ /^[0-9]+(\.[0-9]+)?$/ }
	function kv(  i, a) { delete v; for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] } }
	$1 == "bench" && $2 != "done" { kv(); hdr = 1; S = v["samples"]; M = v["max_vcpus"]; R = v["runs"]
		if (!num("samples") || !num("max_vcpus") || !num("runs")) bad = bad " header fields;" }
	$1 == "bench" && $2 == "done" { done = 1 }
	$1 == "cost" { kv(); n = v["n"]; cost[n]++
		if (v["samples"] != S) bad = bad " N=" n " has " v["samples"] " samples, not " S ";"
		if (!num("n") || !num("vmclear_min") || !num("vmclear_max") || !num("us_p50") || !num("us_p90"))
			bad = bad " N=" n " lacks a field;" }
	$1 == "vcpu" { kv(); k = v["kind"]; vc[k]++
		if (v["runs"] != R || !num("vmptrld") || !num("vmlaunch") || !num("vmresume") || !num("tlb_flush"))
			bad = bad " vcpu " k " incomplete;" }
	$1 == "round_trips" { kv(); rt[v["kind"]]++
		if (!num("n") || !num("p50") || !num("p99") || !num("max")) bad = bad " round trips " v["kind"] " incomplete;" }
	END {
		if (!hdr) { print "no header line"; exit 1 }
		for (n = 0; n <= M; n = n ? n * 2 : 1) if (cost[n] != 1) bad = bad " no cost line for N=" n ";"
		if (vc["after_update"] != 1 || vc["no_update"] != 1) bad = bad " vcpu lines missing;"
		if (rt["alone"] != 1 || rt["nop"] != 1 || rt["update"] != 1) bad = bad " round-trip lines missing;"
		if (!done) bad = bad " no end line;"
		if (bad) { print bad; exit 1 }
	}'; }

# judge: the same lines; "holds", or "does not hold:" and why.
judge() { awk '
	function kv(  i, a) { delete v; for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] } }
	$1 == "cost" { kv(); if (v["vmclear_min"] != v["n"] || v["vmclear_max"] != v["n"])
		bad = bad sprintf(" N=%s made %s-%s VMCLEARs;", v["n"], v["vmclear_min"], v["vmclear_max"]) }
	$1 == "vcpu" { kv(); r = v["runs"]
		if (v["kind"] == "after_update" && (v["vmptrld"] != r || v["vmlaunch"] != r || v["tlb_flush"] < r))
			bad = bad sprintf(" %s runs after an update: %s VMPTRLD, %s VMLAUNCH, %s TLB flushes;", r, v["vmptrld"], v["vmlaunch"], v["tlb_flush"])
		if (v["kind"] == "no_update" && (v["vmptrld"] != 0 || v["vmlaunch"] != 0 || v["vmresume"] < r))
			bad = bad sprintf(" %s runs after no update: %s VMPTRLD, %s VMLAUNCH, %s VMRESUME;", r, v["vmptrld"], v["vmlaunch"], v["vmresume"]) }
	END { print bad ? "does not hold:" bad : "holds" }'; }

# The perf test's lines, run-plan.sh's "# " prefix off; the negative
# step's carry "NEG " first.
all() {
	sed -n 's/^# \(bench\|cost\|vcpu\|round_trips\) /\1 /p' "$txt" | tr -d '\r'
}
all_neg() {
	sed -n 's/^# NEG \(bench\|cost\|vcpu\) /\1 /p' "$txt" | tr -d '\r'
}
missing=$(all | whole) || die "no complete perf test output in ${txt#"$top"/}:$missing; run 'make bench'"
claim=$(all | judge)
negative=$(all_neg | judge)
case $(all_neg | grep -c '^cost '):$negative in
0:*) negative="missing: no output of the negative step" ;;
*"does not hold:"*"VMCLEARs"*) negative="caught: ${negative#does not hold: }" ;;
*) negative="NOT caught: the claim $negative with the current-only VMCLEAR" ;;
esac

all | awk '$1 == "cost" { for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
	print v["n"], v["vmclear_min"], v["vmclear_max"], v["us_p50"], v["us_p90"] }' >"$dat"
{
echo "#### An update against the VMCSs loaded on one CPU"
echo
echo "VMCLEARs: what the emulated CPU counted on the CPU with N VMCSs loaded, over"
echo "each update (min and max over the samples).  Length: the trigger's write,"
echo "the whole update (stop_machine() over every CPU), in Bochs guest time."
echo
echo "| N loaded | VMCLEARs (min-max) | update p50 (us) | update p90 (us) |"
echo "|---|---|---|---|"
awk '{ printf "| %d | %d-%d | %d | %d |\n", $1, $2, $3, $4, $5 }' "$dat"
echo
echo "#### A vCPU's run after an update, and after none (counted by the emulated CPU; TLB: KVM's tlb_flush)"
echo
echo "| run | runs | VMPTRLD | VMLAUNCH | VMRESUME | TLB flushes |"
echo "|---|---|---|---|---|---|"
all | awk '$1 == "vcpu" { for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
	printf "| %s | %s | %s | %s | %s | %s |\n", v["kind"] == "after_update" ? "first after an update" : "after no update",
		v["runs"], v["vmptrld"], v["vmlaunch"], v["vmresume"], v["tlb_flush"] }'
echo
echo "#### A guest's CPUID round trips on the vCPUs' CPU (guest TSC cycles)"
echo
echo "| background | round trips | p50 | p99 | max |"
echo "|---|---|---|---|---|"
all | awk '$1 == "round_trips" { for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
	printf "| %s | %s | %s | %s | %s |\n", v["kind"] == "nop" ? "stop_machine(), no call" : v["kind"] == "update" ? "updates" : "none",
		v["n"], v["p50"], v["p99"], v["max"] }'
echo
echo "#### Cost model for real hardware (modelled, not measured)"
echo
echo "The counts above times bench/latencies.txt (sources: bench/SOURCES.md).  No Intel"
echo "server core has a published VMCLEAR, VMPTRLD or VMLAUNCH latency; each is a proxy."
echo "Every CPU VMCLEARs its own VMCSs, at once, in the update's first step."
echo
echo "| VMCSs loaded per CPU | VMCLEARs per CPU (IRQs off) | per vCPU, first run after | of a 10 ms update |"
echo "|---|---|---|---|"
awk '!/^#/ && NF >= 3 { l[$1] = $2 }
	END { for (i = 0; i < 3; i++) { n = i == 0 ? 1 : i == 1 ? 64 : 512
		fl = n * l["vmclear"]; run = l["vmptrld"] + l["vmlaunch_extra"] + l["tlb_refill"]
		printf "| %d | %.1f us | %.1f us | %.2f%% |\n", n, fl / 1000, run / 1000, 100 * fl / (l["update"] * 1e6) } }' \
	"$top/bench/latencies.txt"
echo
echo "Claim (N VMCLEARs per update; a first run after an update: 1 VMPTRLD, 1 VMLAUNCH, a TLB flush; after none: no VMPTRLD, no VMLAUNCH): **$claim**"
echo
echo "Negative control (the current-only VMCLEAR): $negative"
} >"$md"
cat "$md"

if [ $plot = 1 ]; then
	{ svg_head "$run/bench.svg" "bench: VMCLEARs and update length against the VMCSs loaded on one CPU (Bochs guest time)"
		cat <<GP
set key left top
set grid
set xlabel "VMCSs loaded on the CPU"
set ylabel "VMCLEARs per update (the CPU's count)"
set y2label "update p50 (us, guest time)"
set y2tics
set ytics nomirror
plot '$dat' using 1:2 with linespoints lw 2 pt 7 title 'VMCLEARs', \
	'' using 1:4 axes x1y2 with linespoints lw 2 pt 5 title 'update length p50'
GP
	} | gnuplot >"$run/bench-gnuplot.log" 2>&1 || echo "bench: gnuplot FAILED ($run/bench-gnuplot.log)" >&2
fi
case $claim:$negative in
holds:caught:*) exit 0 ;;
*) exit 1 ;;
esac
