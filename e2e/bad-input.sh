#!/bin/sh
# bad-input.sh: the emulation's debugfs file rejects what it can't do, with
# the errno a user can act on, and fires nothing for it.
d=/sys/kernel/debug/tdx_seamldr
rc=0
before=$(cat $d/stats)
for w in "bogus 1" "single" "single 0" "single 1000001" "single x" "raw -1" \
	"stop_machine 1 2"; do
	if echo -n "$w" | dd of=$d/fire 2>/tmp/err; then
		echo "accepted '$w'"
		rc=1
	else
		echo "rejected '$w': $(head -1 /tmp/err | sed 's/.*: //')"
	fi
done
[ "$(cat $d/stats)" = "$before" ] || { echo "a rejected write fired calls"; rc=1; }
exit $rc
