#!/bin/sh
# logged.sh TEST NAME ARGS...: run /tests/TEST with ARGS and -o
# /tmp/NAME.log, then print that log on the console, gzip+base64 between
# E2E-FILE markers, for the host's verdict and figures.  The log holds
# seamldr_vmcs_test's progress records (live.sh), or what the emulated CPU
# counted over the run (calls, VMCSs found current, active at SEAMRET,
# cleared, I3), which the host checks against the CPU's totals at exit.
# Exits with the test's status.
test=$1 name=$2
shift 2
"/tests/$test" -o "/tmp/$name.log" "$@"
rc=$?
if [ -s "/tmp/$name.log" ]; then
	echo "E2E-FILE $name.log"
	gzip -c "/tmp/$name.log" | base64
	echo "E2E-FILE-END"
fi
exit $rc
