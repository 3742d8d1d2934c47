#!/bin/sh
# perf.sh NAME ARGS...: run seamldr_vmcs_perf_test with ARGS and a log of
# what the emulated CPU counted over the run (the test's -o), then print
# the log on the console, gzip+base64 between E2E-FILE markers, as live.sh
# does, so that the host checks the CPU's totals against it.  Exits with
# the test's status.
name=$1
shift
/tests/seamldr_vmcs_perf_test -o "/tmp/$name.log" "$@"
rc=$?
if [ -s "/tmp/$name.log" ]; then
	echo "E2E-FILE $name.log"
	gzip -c "/tmp/$name.log" | base64
	echo "E2E-FILE-END"
fi
exit $rc
