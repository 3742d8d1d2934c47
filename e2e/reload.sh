#!/bin/sh
# reload.sh ROUNDS: unload and reload kvm_intel ROUNDS times while updates
# run through the test kit's trigger, so that KVM's VMCLEAR callback is
# unregistered and registered under running updates.  Each round must see
# updates made between its rmmod and its modprobe, i.e. while the callback
# was going, gone or coming back; any splat fails the run in the host's
# verdict; a failed update or reload fails here.
. /e2e/guest-lib.sh
rounds=$1
rm -f /tmp/reload.done /tmp/reload.count
(
	n=0
	while [ ! -e /tmp/reload.done ]; do
		trigger update 2 >/dev/null || exit 1
		n=$((n + 2))
		# A rename, so that a reader never sees a half-written count.
		echo $n >/tmp/reload.count.new && mv /tmp/reload.count.new /tmp/reload.count
	done
) &
pid=$!
count() { cat /tmp/reload.count 2>/dev/null || echo 0; }
n=0 overlapped=0 rc=0
while [ $n -lt "$rounds" ]; do
	c0=$(count)
	rmmod kvm_intel || { echo "FAIL: rmmod kvm_intel"; rc=1; break; }
	c1=$(count)
	modprobe kvm_intel || { echo "FAIL: modprobe kvm_intel"; rc=1; break; }
	c2=$(count)
	n=$((n + 1))
	echo "round $n: $((c1 - c0)) updates during rmmod, $((c2 - c1)) while unloaded or during modprobe"
	[ $((c2 - c0)) -gt 0 ] && overlapped=$((overlapped + 1))
done
touch /tmp/reload.done
wait $pid || { echo "FAIL: updates failed while kvm_intel reloaded"; rc=1; }
echo "kvm_intel unloaded and reloaded $n times; updates ran during $overlapped of the rounds"
[ "$overlapped" = "$rounds" ] || { echo "FAIL: updates overlapped only $overlapped of $rounds rounds"; rc=1; }
test -c /dev/kvm || { echo "FAIL: no /dev/kvm after the reloads"; rc=1; }
exit $rc
