#!/bin/sh
# reload.sh ROUNDS: unload and reload kvm_intel ROUNDS times while emulated
# P-SEAMLDR calls fire in both modes, so that KVM's VMCS flush callback is
# unregistered and registered under running calls.  Any splat fails the run
# in the host's verdict; a failed write or reload fails here.
d=/sys/kernel/debug/tdx_seamldr
rounds=${1:-10}
(
	while :; do
		echo "single 20" >$d/fire || exit 1
		echo "stop_machine 2" >$d/fire || exit 1
		[ -e /tmp/reload.done ] && exit 0
	done
) &
pid=$!
rm -f /tmp/reload.done
n=0 rc=0
while [ $n -lt "$rounds" ]; do
	rmmod kvm_intel || { rc=1; break; }
	modprobe kvm_intel || { rc=1; break; }
	n=$((n + 1))
done
touch /tmp/reload.done
wait $pid || { echo "emulated calls failed while kvm_intel reloaded"; rc=1; }
echo "kvm_intel unloaded and reloaded $n times while calls fired"
grep . $d/stats
test -c /dev/kvm || rc=1
exit $rc
