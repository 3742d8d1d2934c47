#!/bin/sh
# under-calls-negative.sh: under-calls.sh must flag a test that passed
# alone, twice, and fails under calls.  calls-sensitive.sh passes alone and
# under load and fails under calls; this step passes only if under-calls.sh
# fails for that reason.
out=$(sh /e2e/under-calls.sh /e2e/calls-sensitive.sh)
rc=$?
echo "$out"
if [ $rc != 0 ] && echo "$out" | grep -q '^FAIL: calls-sensitive.sh: pass and pass alone, fail(1) under calls'; then
	echo "under-calls.sh flagged a test that passed alone and failed under calls"
	exit 0
fi
echo "FAIL: under-calls.sh did not flag calls-sensitive.sh (exit $rc)"
exit 1
