#!/bin/sh
# Turn one Bochs run (RUN/serial.log, RUN/end) into TAP: the guest's own
# results, then the host's checks of the whole serial log.  Any kernel
# splat (WARN, BUG, Oops, lockdep, a failed VMX instruction) fails the run
# even when every test passed, except during the negative control: plan
# steps named negative*, which must come last and are expected to break
# guests; their kernel messages are reported, not judged.  Prints 'e2e: N passed, N failed'; exits 1 on
# any failure.
set -u
run=$1
log=$run/serial.log
end=$(cat "$run/end" 2>/dev/null || echo unknown)
# Lockdep, RCU-lockdep and might_sleep reports all start with WARNING:,
# BUG: or INFO:; lines that merely mention lockdep don't count.
splat='WARNING:|BUG:|INFO: |Oops|Kernel panic|Call Trace:|general protection fault|(vmread|vmwrite|vmclear|vmptrld|invept|invvpid) failed'
tr -d '\r' <"$log" >"$run/serial.txt"
neg=$(grep -n -m1 -E '^E2E-STEP [0-9]+ negative' "$run/serial.txt" | cut -d: -f1)
if [ -n "$neg" ]; then
	head -n $((neg - 1)) "$run/serial.txt" >"$run/judged.txt"
	tail -n +"$neg" "$run/serial.txt" >"$run/negative.txt"
else
	cp "$run/serial.txt" "$run/judged.txt"
	: >"$run/negative.txt"
fi
pass=0 fail=0 n=0
res() {	# res OK|FAIL description [diagnostic lines on stdin? no]
	n=$((n + 1))
	if [ "$1" = ok ]; then pass=$((pass + 1)); echo "ok $n $2"
	else fail=$((fail + 1)); echo "not ok $n $2"; fi
}
{
echo "TAP version 13"
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$run/serial.txt" | head -1)
reported=0
# The guest's results, in order, renumbered.
sed -n '/^E2E-BEGIN/,/^E2E-DMESG-BEGIN/p' "$run/serial.txt" |
	grep -E '^(not )?ok [0-9]+ ' >"$run/guest.tap" || true
while read -r l; do
	reported=$((reported + 1))
	case $l in
	"not ok "*) res fail "guest: ${l#not ok * }" ;;
	*) res ok "guest: $(echo "$l" | sed 's/^ok [0-9]* //')" ;;
	esac
done <"$run/guest.tap"
# The host's checks.
if grep -q '^E2E-BEGIN' "$run/serial.txt"; then res ok "host: init reached"
else res fail "host: init reached"; fi
if [ -n "$planned" ] && [ "$reported" = "$planned" ]; then res ok "host: all $planned planned tests reported"
else res fail "host: all planned tests reported (planned ${planned:-?}, reported $reported)"; fi
if grep -q -E "$splat" "$run/judged.txt"; then
	res fail "host: kernel log clean"
	grep -n -E "$splat" "$run/judged.txt" | head -10 | sed 's/^/#   /'
else res ok "host: kernel log clean (no WARN/BUG/Oops/lockdep/VMX instruction error)${neg:+ before the negative control}"; fi
if [ -n "$neg" ]; then
	if grep -E '^E2E-STEP [0-9]+ ' "$run/negative.txt" | grep -q -v -E '^E2E-STEP [0-9]+ negative'; then
		res fail "host: the negative control runs last"
	else
		res ok "host: the negative control runs last"
	fi
	echo "# kernel log during the negative control (a second signal, not judged):"
	echo "#   $(grep -c -E "$splat" "$run/negative.txt") splat lines, of them $(grep -c -E '(vmread|vmwrite|vmclear|vmptrld) failed' "$run/negative.txt") failed VMX instructions"
fi
if [ "$end" = poweroff ]; then res ok "host: clean poweroff"
else res fail "host: clean poweroff (run ended by $end)"; fi
echo "1..$n"
echo "e2e: $pass passed, $fail failed"
echo "$fail" >"$run/failed"
} | tee "$run/result.tap"
[ "$(cat "$run/failed")" = 0 ]
