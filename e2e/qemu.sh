#!/bin/sh
# qemu.sh NAME BACKGROUND ROUNDS [READING [HOTPLUG_MS]]: boot the QEMU
# guest (/guest: this kernel, e2e/qemu/guest-init) with KVM, 2 vCPUs,
# while a writer runs BACKGROUND through the test kit's trigger once every
# $QEMU_GAP_MS ms (default 200) on a fixed schedule, so that load and
# calls columns have the same cadence: none, nop (stop_machine() without
# calls: the load alone), update (the update flow), raw (calls without the
# VMCLEAR: the negative control); READING first sets the emulated SEAMRET;
# HOTPLUG_MS takes CPUs other than 0 offline and online.
# Passes, for none, nop and update, if the guest did all its ROUNDS of
# checked work on each vCPU, QEMU exited 0 with no KVM error in its
# output, the kernel log gained no splat, the CPU counted no I3 violation
# (a VMCS loaded while active on another CPU), the writes fired and, for
# update, the CPU counted calls that found a VMCS current; for raw, if
# the guest or QEMU broke instead, for the reason the control names (see
# below).
# Writes /tmp/NAME.log (result records, as logged.sh's) and the guest's
# console, both for the run's record, and prints the records.
# QEMU_CPU (default host) and QEMU_GUEST_ARGS (the guest's command line)
# are for probes.
. /e2e/guest-lib.sh
. /e2e/qemu-verdict.sh
name=$1 bg=$2 rounds=$3 reading=${4:-} hot=${5:-0}
gap=${QEMU_GAP_MS:-200}
rm -f /tmp/qemu-stop /tmp/qemu-fired /tmp/qemu-hotplug
# The negative control runs QEMU and the writer on CPU 1 only (this
# shell's affinity, which both inherit): each raw
# call then meets a vCPU's VMCS current on its CPU, and no migration of the
# vCPU thread (whose VMCLEAR on the old CPU and VMLAUNCH on the new one
# would heal what the call did) undoes it.  The good runs are not pinned.
if [ "$bg" = raw ]; then taskset -p -c 1 $$ >/dev/null || exit 1; fi
[ -z "$reading" ] || seamemu reading "$reading" >/dev/null || exit 1
set -- $(for f in seamcall found_current found_active seamret_active seamret_cleared i3; do seamemu total $f; done)
c0=$1 f0=$2 fa0=$3 a0=$4 cl0=$5 i30=$6

ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
splats() { dmesg | grep -c -E -f /e2e/splat.pattern; }
s0=$(splats)

# The writer fires at t0, t0 + gap, t0 + 2 gap, ...; a write that overruns
# its slot makes it skip the slots it missed rather than catch up in a
# burst, so the cadence is never above one write per gap.
if [ "$bg" != none ]; then
	(
		n=0 next=$(ms)
		while [ ! -f /tmp/qemu-stop ]; do
			trigger "$bg 1" >/dev/null && n=$((n + 1))
			next=$((next + gap)) now=$(ms)
			while [ "$next" -le "$now" ]; do next=$((next + gap)); done
			usleep $(((next - now) * 1000))
		done
		echo $n >/tmp/qemu-fired
	) &
	bgpid=$!
fi
if [ "$hot" -gt 0 ]; then
	(
		cycles=0
		while [ ! -f /tmp/qemu-stop ]; do
			usleep $((hot * 1000))
			cpu=$(( (cycles % ($(grep -c ^processor /proc/cpuinfo) - 1)) + 1 ))
			echo 0 >/sys/devices/system/cpu/cpu$cpu/online 2>/dev/null || continue
			usleep $((hot * 500))
			echo 1 >/sys/devices/system/cpu/cpu$cpu/online
			cycles=$((cycles + 1))
		done
		echo $cycles >/tmp/qemu-hotplug
	) &
	hotpid=$!
fi

# QEMU stops the VM, and stays, on a failed VM entry or a KVM internal
# error: once one is on its console, give it 2 s to say the rest, then end
# it.  A guest that hangs otherwise ends at the timeout (machine time; the
# guest does its work alone in about 150 s).
kvmerr_re='KVM internal error|entry failed|emulation failure|KVM_RUN'
tmo=1800
[ "$bg" = raw ] && tmo=600
t0=$(cut -d' ' -f1 /proc/uptime)
timeout $tmo qemu-system-x86_64 -nodefaults -nographic -no-reboot -accel kvm -cpu "${QEMU_CPU:-host}" \
	-smp 2 -m 192 -L /qemu -serial stdio -kernel /guest/bzImage -initrd /guest/initrd.gz \
	-append "console=ttyS0 loglevel=4 panic=-1 kunit.enable=0 ${QEMU_GUEST_ARGS:-} qwork.rounds=$rounds" </dev/null >/tmp/$name.console 2>&1 &
qpid=$!
while kill -0 $qpid 2>/dev/null; do
	if grep -q -E "$kvmerr_re" /tmp/$name.console; then
		sleep 2
		kill $qpid 2>/dev/null
		break
	fi
	sleep 1
done
wait $qpid
qrc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
touch /tmp/qemu-stop
[ -z "${bgpid:-}" ] || wait $bgpid
[ -z "${hotpid:-}" ] || wait $hotpid
for c in /sys/devices/system/cpu/cpu[1-9]*/online; do echo 1 >"$c" 2>/dev/null; done
fired=$(cat /tmp/qemu-fired 2>/dev/null || echo 0)
cycles=$(cat /tmp/qemu-hotplug 2>/dev/null || echo 0)
set -- $(for f in seamcall found_current found_active seamret_active seamret_cleared i3; do seamemu total $f; done)
calls=$(($1 - c0)) found=$(($2 - f0)) fact=$(($3 - fa0)) act=$(($4 - a0)) clr=$(($5 - cl0)) i3=$(($6 - i30))

# The guest's lines reach the host's console: prefixed, and with the words
# the host's judges take for a splat of the host kernel defused (boot.sh
# ends the run at "Kernel panic").  The guest is judged here.
guestlines() { sed 's/^/guest> /; s/Kernel panic/Kernel_panic/; s/WARNING:/WARNING_/; s/BUG:/BUG_/; s/Oops/O_ops/; s/Call Trace:/Call_Trace_/; s/general protection fault/general_protection_fault/'; }
grep -E 'GUEST-|KVM|kvm|entry failed|emulation failure|error' /tmp/$name.console | tail -20 | guestlines
grep -q '^GUEST-DONE ok' /tmp/$name.console || { echo "the guest's console, last lines:"; tail -40 /tmp/$name.console | guestlines; }
if grep -q '^GUEST-DONE ok' /tmp/$name.console; then guest="done"
elif grep -q '^GUEST-MISMATCH\|^GUEST-DONE fail' /tmp/$name.console; then guest=mismatch
else guest=incomplete; fi
kvmerr=$(grep -c -E "$kvmerr_re" /tmp/$name.console)
secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
rate=$(echo "$fired $secs" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')
newsplats=$(($(splats) - s0))
# The guest's work: rounds done by all workers, and its own uptime at the end.
rounds_done=$(sed -n 's/^GUEST-PROGRESS worker [0-9]* round \([0-9]*\).*/\1/p' /tmp/$name.console | awk '{ s += 10 } END { print s + 0 }')
grep -q '^GUEST-DONE ok' /tmp/$name.console &&
	rounds_done=$(sed -n 's/^GUEST-DONE ok workers=\([0-9]*\) rounds=\([0-9]*\).*/\1 \2/p' /tmp/$name.console | awk '{ print $1 * $2 }')
guest_uptime=$(sed -n 's/^GUEST-DONE .*uptime=\([0-9.]*\).*/\1/p' /tmp/$name.console)
verdict=$(qemu_verdict "$bg" "$guest" "$qrc" "$kvmerr" "$newsplats" "$i3" "$fired" "$found" "$clr" "$hot" "$cycles")
{
	echo "result calls seamcalls=$calls found=$found found_active=$fact active=$act cleared=$clr i3=$i3"
	echo "result qemu background=$bg reading=${reading:-boot} gap_ms=$gap fired=$fired rate_per_s=$rate hotplug=$cycles guest=$guest rounds_done=$rounds_done of=$((rounds * 2)) guest_uptime=${guest_uptime:-none} qemu_rc=$qrc kvm_errors=$kvmerr new_splats=$newsplats seconds=$secs"
	echo "result verdict ${verdict%%:*}"
	[ "$verdict" = pass ] || echo "result why ${verdict#fail: }"
} >/tmp/$name.log
cat /tmp/$name.log
echo "E2E-FILE $name.log"
gzip -c /tmp/$name.log | base64
echo "E2E-FILE-END"
# The guest's whole console, for the run's record.
echo "E2E-FILE $name-console.log"
gzip -c /tmp/$name.console | base64
echo "E2E-FILE-END"
[ "$verdict" = pass ]
