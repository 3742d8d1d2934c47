#!/bin/sh
# e2e-figures.sh RUN: after a Bochs run of a live plan, pull the progress
# logs that e2e/live.sh printed on the console (RUN/serial.txt, written by
# verdict.sh) into RUN/NAME.log, draw each as RUN/NAME.svg (scripts/plot.sh),
# and print a short human summary of what seamldr_vmcs_test reported.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
run=$1
txt=$run/serial.txt
[ -f "$txt" ] || { echo "e2e-figures: no $txt" >&2; exit 2; }

# Console lines of a step's output carry a "# " prefix (run-plan.sh).
names=$(sed -n 's/^# E2E-FILE \(.*\)\.log$/\1/p' "$txt")
[ -n "$names" ] || exit 0
echo "e2e: what the live runs saw"
for name in $names; do
	sed -n "/^# E2E-FILE $name\\.log\$/,/^# E2E-FILE-END\$/p" "$txt" |
		sed -e '1d' -e '$d' -e 's/^# //' | base64 -d 2>/dev/null |
		gunzip >"$run/$name.log" 2>/dev/null || true
	echo "  $name:"
	# The test's own summary lines, from its TAP diagnostics.
	awk -v f="$name.log" '
		/^E2E-STEP / { n = 0; ok = 0; cpus = ""; other = ""; iters = 0; nv = 0
			mig = 0; ent = 0; stall = -1; hdr = "" }
		/^# # / { l = substr($0, 5)
			if (l ~ /vCPUs .* CPUs/) hdr = l
			else if (l ~ /^cpu[0-9]+: /) cpus = cpus "      " l "\n"
			else if (l ~ /^(calls |caught|FAILED)/) other = other "    " l "\n"
			else if (l ~ /^vm[0-9]+\/vcpu[0-9]+( L2)?: [0-9]+ iterations/) {
				nv++; e = l; sub(/ in all.*/, "", e); sub(/.* /, "", e); ent += e
				sub(/ iterations.*/, "", l); sub(/.* /, "", l); iters += l }
			else if (l ~ /migrations, longest stall/) {
				mig += $4; if ($8 + 0 > stall) { stall = $8; who = $3 } } }
		/^# (not )?ok [0-9]+ / { n++; if ($2 == "ok") ok++
			else other = other "    " substr($0, 3) "\n" }
		$0 == "# E2E-FILE " f {
			printf "    %s\n", hdr
			printf "    %d/%d checks passed; %d vCPUs, %d guest iterations, %d guest entries, %d migrations, longest stall %.1f ms (%s)\n",
				ok, n, nv, iters, ent, mig, stall / 1000, substr(who, 1, length(who) - 1)
			printf "%s    per CPU:\n%s", other, cpus
			exit }
	' "$txt"
	if [ -s "$run/$name.log" ] &&
	   "$top/scripts/plot.sh" "$run/$name.log" "$run/$name.svg"; then
		echo "    picture: ${run#"$top"/}/$name.svg"
	else
		echo "    picture: none (no progress log came through)"
	fi
done
