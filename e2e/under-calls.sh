#!/bin/sh
# under-calls.sh TEST...: run each KVM selftest (a path, or a name under
# /tests) alone, twice, then under background work whose stop_machine()
# rounds make no P-SEAMLDR call ("load": the trigger's nop), then under the
# same work making updates through the kernel's update flow ("calls": the
# trigger's update).  A test passes only if it passed alone both times and
# under calls, and calls fired while it ran (the emulated CPU's count).  A
# test on e2e/timing-allowlist, with its reason, may instead fail alone or
# under load in Bochs; it still fails here if its result under calls
# differs from its result under load, which only the calls can explain.
# Prints one line per test for the host's table:
#   UNDER-CALLS NAME alone=R,R load=R calls=R fired=N
# R: pass, skip (exit 4) or fail(EXIT).  Exits 4 (kselftest's skip, which
# a plan line must allow) if a test skipped under calls: it tested nothing.
. /e2e/guest-lib.sh
result() {
	case $1 in 0) echo pass ;; 4) echo skip ;; *) echo "fail($1)" ;; esac
}
# background update|nop: start the writer; stop_bg ends it.
background() {
	rm -f /tmp/bg.stop
	sh -c ". /e2e/guest-lib.sh; while [ ! -e /tmp/bg.stop ]; do
		trigger $1 1 >/dev/null || exit 1; usleep 5000; done" &
}
stop_bg() { touch /tmp/bg.stop; wait; }
run() { "$t" >"/tmp/under-calls.$name.$1" 2>&1; result $?; }

rc=0
for t; do
	case $t in */*) ;; *) t=/tests/$t ;; esac
	name=${t##*/}
	[ -x "$t" ] || { echo "UNDER-CALLS $name missing"; rc=1; continue; }
	a1=$(run alone1)
	a2=$(run alone2)
	background nop
	load=$(run load)
	stop_bg
	c0=$(seamemu total seamcall)
	background update
	under=$(run calls)
	stop_bg
	fired=$(($(seamemu total seamcall) - c0))
	echo "UNDER-CALLS $name alone=$a1,$a2 load=$load calls=$under fired=$fired"
	why=$(grep -E "^$name " /e2e/timing-allowlist 2>/dev/null | cut -d' ' -f2-)
	if [ -z "$why" ] && { [ "$a1" != pass ] || [ "$a2" != pass ] || [ "$under" != pass ]; } &&
		[ "$under" != skip ]; then
		echo "FAIL: $name: $a1 and $a2 alone, $under under calls; its output under calls:"
		tail -20 "/tmp/under-calls.$name.calls"
		rc=1
	elif [ "$under" != "$load" ]; then
		echo "FAIL: $name: $under under calls, $load under load only${why:+ (allowlisted: $why)}; its output under calls:"
		tail -20 "/tmp/under-calls.$name.calls"
		rc=1
	fi
	if [ "$fired" -le 0 ]; then
		echo "FAIL: $name: no P-SEAMLDR call while it ran"
		rc=1
	fi
	if [ "$under" = skip ] && [ $rc = 0 ]; then
		echo "SKIP: $name skipped under calls: $(tail -1 "/tmp/under-calls.$name.calls")"
		skipped=1
	fi
done
[ $rc = 0 ] && [ -n "${skipped:-}" ] && exit 4
exit $rc
