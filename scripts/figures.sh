#!/bin/sh
# Stage verdict, figures: figures.sh RUN prints what each live step of a
# Bochs run saw and draws it, from the progress logs that verdict.sh
# decoded into RUN/logs/NAME.log, and the emulated CPU's counters at exit
# (RUN/seamemu.txt).  Only the logs' machine-readable records are read
# (seamldr_vmcs_test -h lists them): 'result ...' for the summary, 'vcpu',
# 'call' and 'fail' for the picture, RUN/NAME.svg (gnuplot): each vCPU's
# iterations over time, scaled to its own final count so that a stall shows
# as a flat stretch, above the writes made so far, by mode, the marks that
# found a current VMCS before KVM's VMCLEAR (the VMCLEAR had work to do),
# and the VMCSs a SEAMRET met active (the negative control's).
. "$(dirname "$0")/../scripts/lib.sh"
run=$1
# e2e/under-calls.sh's rows (the selftests plan), as a Markdown table.
if grep -q '^# UNDER-CALLS ' "$run/serial.txt" 2>/dev/null; then
	{
		echo "| test | alone (twice) | load only | under calls | calls fired |"
		echo "|---|---|---|---|---|"
		sed -n 's/^# UNDER-CALLS //p' "$run/serial.txt" | awk '{
			for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
			sub(/,/, ", ", v["alone"])
			printf "| %s | %s | %s | %s%s | %s |\n", $1, v["alone"], v["load"], v["calls"],
				v["calls"] != v["load"] ? " (differs)" : "", v["fired"] }'
	} >"$run/under-calls.md"
	echo "figures: selftests alone, under load, under calls (${run#"$top"/}/under-calls.md)"
	sed 's/^/  /' "$run/under-calls.md"
fi
# e2e/qemu.sh's records (the qemu plan), one row per QEMU run, in plan
# order.  Times and rates are the emulated machine's (Bochs's guest time),
# except the QEMU guest's own uptime and the step's wall time.
if grep -q '^result qemu ' "$run"/logs/*.log 2>/dev/null; then
	{
		echo "| step | background | reading | writes (per s) | hotplug cycles | guest work (rounds) | QEMU guest's uptime at the end (s) | P-SEAMLDR calls | found a VMCS current | VMCSs cleared at SEAMRET | QEMU exit | KVM errors | new kernel splats | emulated machine's time (s) | wall (s) | verdict |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for step in $(sed -n 's/^# E2E-FILE \(qemu-[a-z-]*\)\.log$/\1/p' "$run/serial.txt" | grep -v -- '-console$'); do
			log=$run/logs/$step.log
			[ -f "$log" ] || continue
			# the plan step that logged it, and that step's wall time:
			# from its start to the next step's (boot.sh's steps-wall.txt)
			n=$(awk -v f="# E2E-FILE $step.log" '/^E2E-STEP / { n = $2 } $0 == f { print n; exit }' "$run/serial.txt")
			wall=$(awk -v n="$n" '$2 == n { t = $1; next } t != "" && u == "" { u = $1 } END { if (t != "" && u != "") print u - t }' "$run/steps-wall.txt" 2>/dev/null)
			awk -v step="$step" -v wall="${wall:--}" '
			function kv(k,   i, a) { for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return "" }
			$2 == "calls" { sc = kv("seamcalls"); fo = kv("found"); cl = kv("cleared") }
			$2 == "qemu" { bg = kv("background"); rd = kv("reading"); fi = kv("fired")
				hp = kv("hotplug"); rdn = kv("rounds_done"); of = kv("of"); gu = kv("guest_uptime")
				rc = kv("qemu_rc"); ke = kv("kvm_errors"); ns = kv("new_splats"); se = kv("seconds") }
			$2 == "verdict" { v = $3 }
			END { ra = se > 0 ? sprintf("%.2f", fi / se) : "-"
				printf "| %s | %s | %s | %s (%s) | %s | %s of %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				step, bg, rd, fi, ra, hp, rdn, of, gu, sc, fo, cl, rc, ke, ns, se, wall, v }' "$log"
		done
	} >"$run/qemu.md"
	echo "figures: the QEMU guest, step by step (${run#"$top"/}/qemu.md)"
	sed 's/^/  /' "$run/qemu.md"
fi
logs=$(ls "$run"/logs/*.log 2>/dev/null || true)
[ -n "$logs" ] || { echo "figures: no progress logs in ${run#"$top"/}"; exit 0; }
echo "figures: what the live steps saw (Bochs: times are guest time, which runs at the emulated instruction rate)"
for log in $logs; do
	name=$(basename "$log" .log)
	# the QEMU guest's console, kept for the record; its step is in qemu.md
	case $name in qemu-*-console) continue ;; esac
	grep -q '^result verdict' "$log" || { echo "  $name: no result records (the test did not finish)"; continue; }
	# logged.sh's logs (the perf test, the classifier) have no guests to draw
	grep -q '^result calls requested=' "$log" || {
		echo "  $name: $(sed -n 's/^result calls //p;s/^result reading //p' "$log" | tr '\n' ' ')"; continue; }
	awk -v name="$name" '
	function kv(k,   i, a) { for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return "" }
	$1 == "name" { id = $2; $1 = $2 = ""; sub(/^ +/, ""); vname[id] = $0 }
	$1 == "call" { mode[$3] += $4 }
	$1 == "result" && $2 == "vcpu" {
		nv++; it += kv("iterations"); en += kv("entries"); mig += kv("migrations")
		s = kv("stall_us") + 0; if (s > stall) { stall = s; who = $3 } }
	$1 == "result" && $2 == "calls" { req = kv("requested"); fired = kv("fired"); sc = kv("seamcalls")
		found = kv("found"); fa = kv("found_active"); act = kv("active"); cl = kv("cleared"); i3 = kv("i3") }
	$1 == "result" && $2 == "failure" { fk = kv("kind"); fc = kv("calls"); fcl = kv("clearing_calls") }
	$1 == "result" && $2 == "hotplug" { hp = kv("cycles") }
	$1 == "result" && $2 == "verdict" { verdict = $3 }
	END {
		m = ""; for (k in mode) m = m (m == "" ? "" : ", ") k " " mode[k]
		printf "  %s: %s writes requested, %s fired (%s), %s P-SEAMLDR calls (the CPU'"'"'s count)\n",
			name, req, fired, m, sc
		printf "    before KVM'"'"'s VMCLEAR: %s calls found a current VMCS, %s VMCSs active; at SEAMRET: %s active, %s cleared; I3 violations: %s\n",
			found, fa, act, cl, i3
		printf "    %d vCPUs: %d guest iterations, %d entries, %d migrations, longest stall %.1f ms (%s)\n",
			nv, it, en, mig, stall / 1000, vname[who]
		if (hp != "") printf "    CPU hotplug: %s offline/online cycles\n", hp
		if (fk != "") printf "    failed as %s after %s calls, %s of which met an active VMCS before it\n", fk, fc, fcl
		printf "    verdict: %s\n", verdict
	}' "$log"

	# The picture's data, one file per series.
	d=$run/fig-$name
	rm -rf "$d" && mkdir -p "$d"
	awk -v d="$d" '
	$1 == "name" { id = $2; $1 = $2 = ""; sub(/^ +/, ""); vname[id] = $0 }
	$1 == "vcpu" { t[$3, ++n[$3]] = $2 / 1000; it[$3, n[$3]] = $4; if ($4 > max[$3]) max[$3] = $4 }
	$1 == "call" {
		c[$3] += $4; printf "%.3f %d\n", $2 / 1000, c[$3] > (d "/calls-" $3 ".dat")
		found += $5; printf "%.3f %d\n", $2 / 1000, found > (d "/calls-found a current VMCS.dat")
		if ($6 > 0 || act > 0) { act += $6; printf "%.3f %d\n", $2 / 1000, act > (d "/calls-met an active VMCS.dat") } }
	$1 == "fail" { printf "%.3f %s\n", $2 / 1000, $4 > (d "/fail.dat") }
	END {
		for (id in n) {
			f = sprintf("%s/vcpu-%02d.dat", d, id)
			printf "# %s\n", vname[id] > f
			for (k = 1; k <= n[id]; k++)
				printf "%.3f %.4f\n", t[id, k], (max[id] ? it[id, k] / max[id] : 0) > f
		}
	}' "$log"
	title=$(sed -n 's/^title //p' "$log" | head -1)
	tmax=$(awk '$1 == "vcpu" && $2 > m { m = $2 } END { printf "%.1f", m / 1000 }' "$log")
	vplots= cplots=
	for f in "$d"/vcpu-*.dat; do
		[ -f "$f" ] || continue
		vplots="$vplots${vplots:+, }'$f' using 1:2 with linespoints lw 1.5 pt 7 ps 0.5 pi 50 title '$(head -1 "$f" | sed "s/^# //; s/'//g")'"
	done
	for f in "$d"/calls-*.dat; do
		[ -f "$f" ] || continue
		m=${f##*/calls-}
		cplots="$cplots${cplots:+, }'$f' using 1:2 with linespoints lw 1.5 pt 7 ps 0.5 pi 50 title '${m%.dat}'"
	done
	[ -n "$vplots" ] || { echo "    picture: none (no vCPU samples)"; continue; }
	[ -s "$d/fail.dat" ] && vplots="$vplots, '$d/fail.dat' using 1:(0.5) with points pt 2 ps 2 lc rgb 'red' title 'failure'"
	[ -n "$cplots" ] || cplots="NaN notitle"
	gnuplot >"$d/gnuplot.log" 2>&1 <<GP || { echo "    picture: gnuplot FAILED ($d/gnuplot.log)"; continue; }
set terminal svg size 1000,640 dynamic font "sans,11" background rgb "white"
set termoption noenhanced
set output "$run/$name.svg"
set multiplot layout 2,1 title "$(echo "$title" | sed 's/"//g')"
set key outside right
set lmargin 12
set rmargin 32
set grid
set xrange [0:$tmax]
set ylabel "iteration / final iteration"
set yrange [0:1.05]
set format x ""
plot $vplots
set xlabel "guest time (s)"
set ylabel "so far"
set offsets graph 0, graph 0, graph 0.05, 0
set yrange [0:*]
set format x "%g"
plot $cplots
unset multiplot
GP
	echo "    picture: ${run#"$top"/}/$name.svg"
done
if [ -s "$run/seamemu.txt" ]; then
	echo "figures: the emulated CPU's counters at exit (${run#"$top"/}/seamemu.txt)"
	sed 's/^/  /' "$run/seamemu.txt"
fi
