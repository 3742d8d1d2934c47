#!/bin/sh
# bad-input.sh: the emulation's debugfs files reject what they can't do
# with the errno a user can act on, and fire or change nothing for it; a
# good write, the positive control, is accepted and counted.
. /e2e/lib.sh
[ -w $d/fire ] && [ -r $d/stats ] ||
	{ echo "no $d/fire or $d/stats: is CONFIG_INTEL_TDX_SEAMLDR_EMULATE on?"; exit 1; }
rc=0
before=$(calls)
while IFS='|' read -r w want; do
	if echo -n "$w" | dd of=$d/fire 2>/tmp/err; then
		echo "FAIL: accepted '$w'"
		rc=1
		continue
	fi
	got=$(sed -n "s/^dd: error writing '[^']*': //p" /tmp/err | head -1)
	if [ "$got" = "$want" ]; then
		echo "rejected '$w': $got"
	else
		echo "FAIL: '$w' rejected with '$got', expected '$want'"
		rc=1
	fi
done <<'WRITES'
bogus 1|Invalid argument
single|Invalid argument
single x|Invalid argument
raw -1|Invalid argument
stop_machine 1 2|Invalid argument
nmi|Invalid argument
single 0|Numerical result out of range
single 1000001|Numerical result out of range
WRITES
after=$(calls)
[ "$after" = "$before" ] || { echo "FAIL: rejected writes fired $((after - before)) calls"; rc=1; }
if echo -n "single 1" | dd of=$d/fire 2>/tmp/err && [ "$(calls)" = $((after + 1)) ]; then
	echo "accepted 'single 1': 1 call counted"
else
	echo "FAIL: 'single 1' not accepted and counted: $(cat /tmp/err)"
	rc=1
fi
mode=$(cat $d/seamret)
if echo -n "some" | dd of=$d/seamret 2>/tmp/err; then
	echo "FAIL: seamret accepted 'some'"
	rc=1
elif [ "$(cat $d/seamret)" != "$mode" ]; then
	echo "FAIL: seamret changed from '$mode' to '$(cat $d/seamret)' on a rejected write"
	rc=1
else
	echo "seamret rejected 'some': $(sed -n "s/^dd: error writing '[^']*': //p" /tmp/err | head -1); still '$mode'"
fi
exit $rc
