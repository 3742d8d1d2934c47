#!/bin/sh
# Stage soak: soak.sh RUN sums the soak plan's rounds (RUN/logs/soak-*.log,
# decoded by verdict.sh) into RUN/soak.md, a table per round and the
# totals, and RUN/soak.svg (gnuplot): per round, the updates, the calls
# that found a VMCS current before KVM's VMCLEAR, and the longest vCPU
# stall.  Every figure but the guests' own comes from the emulated CPU.
# Exits 1 unless every round's verdict is pass, the CPU saw no VMCS active
# at a SEAMRET, none cleared and no I3 violation in any round, every round
# had hotplug cycles and found VMCSs, each round ran under the reading its
# log's title names, and the negative step's log says it was caught.
# Guest times: Bochs runs the guest at its emulated instruction rate.
. "$(dirname "$0")/../scripts/lib.sh"
run=$1
logs=$(ls "$run"/logs/soak-*.log 2>/dev/null || true)
[ -n "$logs" ] || die "no soak progress logs in ${run#"$top"/}/logs; run 'make soak'"
dat=$run/soak.dat
for log in $logs; do
	awk -v name="$(basename "$log" .log)" '
	function kv(k,   i, a) { for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return 0 }
	$1 == "title" { for (i = 1; i < NF; i++) if ($i == "SEAMRET") reading = $(i + 1); sub(/[,]$/, "", reading) }
	$1 == "vcpu" && $2 > tmax { tmax = $2 }
	$1 == "result" && $2 == "vcpu" { it += kv("iterations"); mig += kv("migrations"); s = kv("stall_us"); if (s > stall) stall = s }
	$1 == "result" && $2 == "calls" { fired = kv("fired"); sc = kv("seamcalls"); found = kv("found")
		fa = kv("found_active"); act = kv("active"); cl = kv("cleared"); i3 = kv("i3") }
	$1 == "result" && $2 == "hotplug" { hp = kv("cycles") }
	$1 == "result" && $2 == "verdict" { v = $3 }
	END { printf "%s %s %d %d %d %d %d %d %d %d %d %d %.1f %.1f %s\n", name, reading ? reading : "?",
		fired, sc, found, fa, act, cl, i3, it, mig, hp, stall / 1000, tmax / 1000, v ? v : "none" }' "$log"
done >"$dat"
# The round's reading as the plan sets it: its line in the soak plan.
plan=$top/e2e/soak.plan
awk -v out="$run/soak.md" -v plan="$plan" '
BEGIN { while ((getline l < plan) > 0) if (l ~ /live\.sh soak-/) { split(l, w, " ")
		for (i = 1; i <= length(w); i++) { if (w[i] ~ /^soak-/) n = w[i]; if (w[i] == "-S") rd = w[i + 1] }
		want[n] = rd }
	print "| round | reading | updates | P-SEAMLDR calls | found a current VMCS | found active | active at SEAMRET | cleared | I3 | guest iterations | migrations | hotplug cycles | longest stall (ms) | guest s | verdict |" > out
	print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" > out }
{ printf "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 > out
	n++; u += $3; c += $4; f += $5; fa += $6; a += $7; cl += $8; i3 += $9; it += $10; m += $11; h += $12
	if ($13 > s) s = $13; g += $14
	if ($15 == "pass" && $2 == want[$1] && $5 > 0 && $7 == 0 && $8 == 0 && $9 == 0 && $12 > 0) p++
	else bad = bad " " $1 }
END { printf "| all %d rounds | - | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %d of %d pass |\n",
		n, u, c, f, fa, a, cl, i3, it, m, h, s, g, p, n > out
	if (bad != "") { printf "soak: rounds that fail:%s\n", bad > "/dev/stderr"; exit 1 } }' "$dat"
rc=$?
cat "$run/soak.md"
neg=$run/logs/negative-raw-all.log
if [ ! -s "$neg" ] || ! grep -qx 'result verdict pass' "$neg"; then
	echo "soak: the negative step (negative-raw-all) was not caught: the soak is not shown able to fail" >&2
	rc=1
fi
{ svg_head "$run/soak.svg" "soak: updates per round, the calls that found a current VMCS before KVM's VMCLEAR, and the longest vCPU stall"
	cat <<GP
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set key outside right
set grid y
set ylabel "updates, calls"
set y2label "longest vCPU stall (ms, guest time)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics rotate by -30
plot '$dat' using 3:xtic(1) title 'updates', '' using 5 title 'found a current VMCS', \
	'' using 0:13 axes x1y2 with linespoints lw 2 pt 7 title 'longest stall'
GP
} | gnuplot >"$run/soak-gnuplot.log" 2>&1 || echo "soak: gnuplot FAILED ($run/soak-gnuplot.log)" >&2
echo "soak: ${run#"$top"/}/soak.md, ${run#"$top"/}/soak.svg"
exit $rc
