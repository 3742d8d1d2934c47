#!/bin/sh
# under-calls-negative.sh: under-calls.sh must flag a test whose result
# under calls differs from its result under load only.  calls-sensitive.sh
# passes alone and under load and fails under calls; this step passes only
# if under-calls.sh fails for that reason.
out=$(sh /e2e/under-calls.sh /e2e/calls-sensitive.sh)
rc=$?
echo "$out"
if [ $rc != 0 ] && echo "$out" | grep -q '^FAIL: calls-sensitive.sh: fail(1) under calls, pass under load only'; then
	echo "under-calls.sh flagged the difference between load and calls"
	exit 0
fi
echo "FAIL: under-calls.sh did not flag calls-sensitive.sh (exit $rc)"
exit 1
