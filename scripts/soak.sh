#!/bin/sh
# Stage soak: soak.sh RUN sums the soak plan's rounds (RUN/logs/soak-*.log,
# decoded by verdict.sh) into RUN/soak.md, a table per round and the
# totals, and RUN/soak.svg (gnuplot): per round, the calls and those that
# found a VMCS current, and the longest vCPU stall.  Guest times: Bochs
# runs the guest at its emulated instruction rate.
. "$(dirname "$0")/../scripts/lib.sh"
run=$1
logs=$(ls "$run"/logs/soak-*.log 2>/dev/null || true)
[ -n "$logs" ] || die "no soak progress logs in ${run#"$top"/}/logs; run 'make soak'"
dat=$run/soak.dat
for log in $logs; do
	awk -v name="$(basename "$log" .log)" '
	function kv(k,   i, a) { for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return 0 }
	$1 == "title" { reading = "" }
	$1 == "call" { t = $2 }
	$1 == "vcpu" && $2 > tmax { tmax = $2 }
	$1 == "result" && $2 == "vcpu" { it += kv("iterations"); mig += kv("migrations"); s = kv("stall_us"); if (s > stall) stall = s }
	$1 == "result" && $2 == "cpu" { moved += kv("moved") }
	$1 == "result" && $2 == "calls" { fired = kv("fired"); found = kv("found"); cl = kv("cleared") }
	$1 == "result" && $2 == "hotplug" { hp = kv("cycles") }
	$1 == "result" && $2 == "verdict" { v = $3 }
	END { printf "%s %d %d %d %d %d %d %.1f %d %.1f %s\n", name, fired, found, cl, it, mig, hp, stall / 1000, moved, tmax / 1000, v }' "$log"
done >"$dat"
# The reading of each round, from the plan: odd rounds "current", even "all".
awk -v out="$run/soak.md" '
BEGIN { print "| round | SEAMRET clears | calls | found a VMCS current | cleared by SEAMRET | guest iterations | migrations | hotplug cycles | longest stall (ms) | VMCS active on two CPUs | guest s | verdict |" > out
	print "|---|---|---|---|---|---|---|---|---|---|---|---|" > out }
{ r = substr($1, 6) + 0; rd = r % 2 ? "current" : "all"
	printf "| %s | %s | %d | %d | %d | %d | %d | %d | %.1f | %d | %.1f | %s |\n", $1, rd, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 > out
	c += $2; f += $3; cl += $4; it += $5; m += $6; h += $7; if ($8 > s) s = $8; mv += $9; g += $10; n++; p += ($11 == "pass") }
END { printf "| all %d rounds | both | %d | %d | %d | %d | %d | %d | %.1f | %d | %.1f | %d of %d pass |\n", n, c, f, cl, it, m, h, s, mv, g, p, n > out }' "$dat"
cat "$run/soak.md"
{ svg_head "$run/soak.svg" "soak: emulated P-SEAMLDR calls per round (odd rounds: SEAMRET clears the current VMCS; even: every active VMCS)"
	cat <<GP
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set key outside right
set grid y
set ylabel "calls"
set y2label "longest vCPU stall (ms, guest time)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics rotate by -30
plot '$dat' using 2:xtic(1) title 'calls', '' using 3 title 'found a VMCS current', \
	'' using 0:8 axes x1y2 with linespoints lw 2 pt 7 title 'longest stall'
GP
} | gnuplot >"$run/soak-gnuplot.log" 2>&1 || die "gnuplot FAILED ($run/soak-gnuplot.log)"
echo "soak: ${run#"$top"/}/soak.md, ${run#"$top"/}/soak.svg"
