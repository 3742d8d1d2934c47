#!/bin/sh
# Stage verdict: verdict.sh RUN TAP [PLANFILE] judges one Bochs run against
# the repo's copy of its plan as the run recorded it (RUN/plan; or
# e2e/PLAN.plan, or PLANFILE), not against what the guest says it ran.  The
# knobs it checks the run against (PLAN, CALLS) come from RUN/knobs.txt,
# where the run recorded them, if make didn't pass them: an old run in
# build/out/runs/ is judged again with just its directory.
# Reads RUN/serial.txt and RUN/end (boot.sh); writes RUN/logs/NAME.log for
# every progress log the console carried, and the verdict as TAP to the file TAP
# (make e2e: build/tap/e2e.tap).
#
# One TAP line per plan step, ok only if the guest reported that step, in
# order and by name, as ok (a skip only where the plan line says "# may
# skip: REASON"), and, for a live step, its progress log came through and
# ends with "result verdict pass".  Then the host's own checks: /init ran
# this plan with these knobs, the kernel log is clean up to the negative
# control (kernel lines only: they carry a time stamp, base64 never does),
# and Bochs ended by a clean poweroff.
. "$(dirname "$0")/../scripts/lib.sh"
run=$1 tap=$2
for k in PLAN CALLS; do
	eval "[ -n \"\${$k:-}\" ]" ||
		eval "$k=\$(sed -n 's/^$k=//p' \"\$run/knobs.txt\" 2>/dev/null)"
done
knob PLAN CALLS
plan=${3:-$run/plan}
[ -f "$plan" ] || plan=$top/e2e/$PLAN.plan
txt=$run/serial.txt
[ -f "$plan" ] || die "no plan $plan"
[ -f "$txt" ] || die "no $txt; run 'make boot'"
end=$(cat "$run/end" 2>/dev/null || echo unknown)

# The plan's steps: NAME, the progress log's name for a step run through
# live.sh, qemu.sh or logged.sh (or -), and the reason it may skip (or -).
grep -v -E '^[[:space:]]*(#|$)' "$plan" | while read -r name cmd; do
	log=$(echo "$cmd" | sed -n -E -e 's#.*/e2e/(live|qemu)\.sh ([^ ]*).*#\2#p' -e 's#.*/e2e/logged\.sh [^ ]* ([^ ]*).*#\1#p')
	skip=$(echo "$cmd" | sed -n 's/.*# may skip: //p')
	echo "$name ${log:--} ${skip:--}"
done >"$run/plan.steps"

# The progress logs, gzip+base64 between "# E2E-FILE NAME" and
# "# E2E-FILE-END" (run-plan.sh prefixes a step's output with "# ").
rm -rf "$run/logs"
mkdir -p "$run/logs"
for f in $(sed -n 's/^# E2E-FILE \(.*\.log\)$/\1/p' "$txt"); do
	sed -n "/^# E2E-FILE $f\$/,/^# E2E-FILE-END\$/p" "$txt" | sed -e '1d' -e '$d' |
		sed -n 's/^# \([A-Za-z0-9+/=]*\)$/\1/p' | base64 -d 2>/dev/null |
		gunzip >"$run/logs/$f" 2>/dev/null || rm -f "$run/logs/$f"
done

# The guest's TAP lines, between /init's markers.
sed -n '/^E2E-BEGIN/,/^E2E-END/p' "$txt" | grep -E '^(not )?ok [0-9]+ ' >"$run/guest.tap" || true

tap_open e2e "$tap"
i=0
while read -r name log skip; do
	i=$((i + 1))
	g=$(sed -n "${i}p" "$run/guest.tap")
	why=
	case $g in
	"ok $i $name # SKIP"*)
		[ "$skip" != - ] || why="skipped, and the plan doesn't say it may" ;;
	"ok $i $name"|"ok $i $name "*) ;;
	"not ok $i $name"*) why="guest: ${g#"not ok $i $name"}" ;;
	"") why="not reported" ;;
	*) why="the guest's step $i is '$g'" ;;
	esac
	if [ -z "$why" ] && [ "$log" != - ]; then
		if [ ! -s "$run/logs/$log.log" ]; then
			why="its progress log $log.log did not come through"
		elif ! grep -qx 'result verdict pass' "$run/logs/$log.log"; then
			why="its progress log $log.log doesn't end with 'result verdict pass'"
		fi
	fi
	if [ -z "$why" ]; then
		ok "step $i $name${g##*"$name"}"
	else
		not_ok "step $i $name: $why"
	fi
done <"$run/plan.steps"
steps=$i
extra=$(($(grep -c . "$run/guest.tap") - steps))

# The host's checks.
begin=$(grep -m1 '^E2E-BEGIN' "$txt" || true)
neg_misplaced=$(awk '$1 ~ /^negative/ { seen = 1; next } seen { n++ } END { print n + 0 }' "$run/plan.steps")
case $begin in
"E2E-BEGIN plan=$PLAN calls=$CALLS "*)
	if [ "$extra" -gt 0 ]; then not_ok "host: /init ran plan $PLAN, but the guest reported $extra step(s) beyond its $steps"
	elif [ "$neg_misplaced" != 0 ]; then not_ok "host: ${plan##*/} runs its negative steps last"
	else ok "host: /init ran plan $PLAN ($steps steps, negative ones last) with $CALLS calls"; fi ;;
"") not_ok "host: /init reached" ;;
*) not_ok "host: /init ran plan $PLAN with $CALLS calls (it said: $begin)" ;;
esac

# The kernel log up to the first negative step; after it, broken guests
# make KVM's VMX instructions fail, which is reported, not judged.
cut=$(grep -n -m1 -E '^E2E-STEP [0-9]+ negative' "$txt" | cut -d: -f1)
if [ -n "$cut" ]; then
	head -n $((cut - 1)) "$txt" >"$run/judged.txt"
	tail -n +"$cut" "$txt" >"$run/negative.txt"
else
	cp "$txt" "$run/judged.txt"
	: >"$run/negative.txt"
fi
kernel_lines "$run/judged.txt" | grep -E "$splat" >"$run/splats.txt" || true
if ! kernel_lines "$run/judged.txt" | grep -q 'e2e: kernel warnings reach the console'; then
	# /init logs that line at KERN_WARNING, the level of a WARN: a console
	# without it (quiet, a low loglevel) would be clean whatever happened.
	not_ok "host: kernel warnings reach the console (/init's KERN_WARNING line is missing)"
elif [ -s "$run/splats.txt" ]; then
	not_ok "host: kernel log clean${cut:+ before the negative control}"
	head -10 "$run/splats.txt" | diag
else
	ok "host: kernel log clean (no WARN/BUG/Oops/lockdep/VMX instruction error)${cut:+ before the negative control}"
fi
if [ -n "$cut" ]; then
	echo "kernel log during the negative control (not judged): $(kernel_lines "$run/negative.txt" | grep -c -E "$splat") splat lines, of them $(kernel_lines "$run/negative.txt" | grep -c -E '(vmread|vmwrite|vmclear|vmptrld) failed') failed VMX instructions" | diag
fi
# The emulated CPU's own totals at exit (boot.sh: RUN/seamemu.txt) against
# what the steps' progress logs report, each a delta of the same counters
# around its run: every VMCS active at a SEAMRET, cleared by one, or made
# current while active on another CPU must be one a step reported.
if [ ! -s "$run/seamemu.txt" ] || ! grep -q '^seamemu: platform ' "$run/seamemu.txt"; then
	not_ok "host: the emulated CPU's counters at exit (${run#"$top"/}/seamemu.txt)"
else
	cpu=$(awk '$2 ~ /^cpu/ { for (i = 3; i <= NF; i++) { split($i, a, "=")
			if (a[1] == "seamret_active") act += a[2]; if (a[1] == "seamret_cleared") cl += a[2]
			if (a[1] == "i3") i3 += a[2] } }
		END { printf "%d %d %d", act, cl, i3 }' "$run/seamemu.txt")
	logs=$(cat "$run"/logs/*.log 2>/dev/null | awk '$1 == "result" && $2 == "calls" {
			for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == "active") act += a[2]
				if (a[1] == "cleared") cl += a[2]; if (a[1] == "i3") i3 += a[2] } }
		END { printf "%d %d %d", act, cl, i3 }')
	set -- $cpu
	if [ "$cpu" = "$logs" ]; then
		ok "host: the emulated CPU's totals at exit match the steps' reports: $1 VMCSs active at a SEAMRET, $2 cleared, $3 I3 violations"
	else
		not_ok "host: the emulated CPU's totals at exit match the steps' reports (active, cleared, I3: CPU $cpu, steps $logs)"
	fi
fi
if [ "$end" = poweroff ]; then ok "host: clean poweroff"
else not_ok "host: clean poweroff (the run ended by $end)"; fi
tap_close
