#!/bin/sh
# reload.sh ROUNDS: unload and reload kvm_intel ROUNDS times while emulated
# P-SEAMLDR calls fire in both modes, so that KVM's VMCS flush callback is
# unregistered and registered under running calls.  Each round must see
# calls made between its rmmod and its modprobe, i.e. while the callback
# was going, gone or coming back; any splat fails the run in the host's
# verdict; a failed write or reload fails here.
. /e2e/lib.sh
rounds=$1
rm -f /tmp/reload.done
(
	while [ ! -e /tmp/reload.done ]; do
		echo "single 20" >$d/fire || exit 1
		echo "stop_machine 2" >$d/fire || exit 1
	done
) &
pid=$!
n=0 overlapped=0 rc=0
while [ $n -lt "$rounds" ]; do
	c0=$(calls)
	rmmod kvm_intel || { echo "FAIL: rmmod kvm_intel"; rc=1; break; }
	c1=$(calls)
	modprobe kvm_intel || { echo "FAIL: modprobe kvm_intel"; rc=1; break; }
	c2=$(calls)
	n=$((n + 1))
	echo "round $n: $((c1 - c0)) calls during rmmod, $((c2 - c1)) while unloaded or during modprobe"
	[ $((c2 - c0)) -gt 0 ] && overlapped=$((overlapped + 1))
done
touch /tmp/reload.done
wait $pid || { echo "FAIL: emulated calls failed while kvm_intel reloaded"; rc=1; }
echo "kvm_intel unloaded and reloaded $n times; calls fired during $overlapped of the rounds"
[ "$overlapped" = "$rounds" ] || { echo "FAIL: calls overlapped only $overlapped of $rounds rounds"; rc=1; }
test -c /dev/kvm || { echo "FAIL: no /dev/kvm after the reloads"; rc=1; }
exit $rc
