#!/bin/sh
# logged.sh TEST NAME ARGS...: run /tests/TEST with ARGS and -o, its log of
# what the emulated CPU counted over the run (calls, VMCSs found current,
# active at SEAMRET, cleared, I3), then print the log on the console,
# gzip+base64 between E2E-FILE markers, as live.sh does, so that the host
# checks the CPU's totals at exit against the steps' logs.  Exits with the
# test's status.
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
