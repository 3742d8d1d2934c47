#!/bin/sh
# under-calls.sh TEST...: run each KVM selftest (a path, or a name under
# /tests) alone, twice, then once with background work on every CPU whose
# P-SEAMLDR calls are no-ops ("load"), then once with the same work making
# emulated P-SEAMLDR calls ("calls"): on each CPU a pinned writer of
# "single" calls, and one writer of "stop_machine" calls over every CPU.
# Only the calls column differs from the load column in what the kernel
# does, so a test whose result differs between the two has found a bug;
# one that passes alone but fails under load is timing-sensitive in
# Bochs, which the load column shows.
#
# Prints one line per test for the host's table, and exits non-zero if a
# test's result under calls differs from its result under load, or no
# call fired while it ran; with 4 (kselftest's skip, which a plan line
# must allow) if it skipped under calls, as it then tested nothing:
#   UNDER-CALLS NAME alone=R,R load=R calls=R fired=N
# R: pass, skip (exit 4) or fail(EXIT).
. /e2e/lib.sh
result() {
	case $1 in 0) echo pass ;; 4) echo skip ;; *) echo "fail($1)" ;; esac
}
ncpu=$(grep -c ^processor /proc/cpuinfo)
# background single|stop_machine|_nop: start the writers; stop_bg ends them.
background() {
	suffix=$1
	rm -f /tmp/bg.stop
	cpu=0
	while [ $cpu -lt "$ncpu" ]; do
		taskset -c $cpu sh -c "while [ ! -e /tmp/bg.stop ]; do
			echo 'single$suffix 10' >$d/fire || exit 1; usleep 2000; done" &
		cpu=$((cpu + 1))
	done
	sh -c "while [ ! -e /tmp/bg.stop ]; do
		echo 'stop_machine$suffix 1' >$d/fire || exit 1; usleep 5000; done" &
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
	background _nop
	load=$(run load)
	stop_bg
	c0=$(calls)
	background ""
	under=$(run calls)
	stop_bg
	fired=$(($(calls) - c0))
	echo "UNDER-CALLS $name alone=$a1,$a2 load=$load calls=$under fired=$fired"
	if [ "$under" != "$load" ]; then
		echo "FAIL: $name: $under under calls, $load under load only; its output under calls:"
		tail -20 "/tmp/under-calls.$name.calls"
		rc=1
	fi
	if [ "$fired" -le 0 ]; then
		echo "FAIL: $name: no call fired while it ran"
		rc=1
	fi
	if [ "$under" = skip ] && [ $rc = 0 ]; then
		echo "SKIP: $name skipped under calls: $(tail -1 "/tmp/under-calls.$name.calls")"
		skipped=1
	fi
done
[ $rc = 0 ] && [ -n "${skipped:-}" ] && exit 4
exit $rc
