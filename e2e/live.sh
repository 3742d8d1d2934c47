#!/bin/sh
# live.sh NAME ARGS...: run seamldr_vmcs_test with ARGS and a progress log
# (machine-readable records, see the test's -h), then print the log on the
# console, gzip+base64 between E2E-FILE markers, for the host's figures
# (scripts/figures.sh).  Exits with the test's status.
name=$1
shift
/tests/seamldr_vmcs_test -o "/tmp/$name.log" "$@"
rc=$?
if [ -s "/tmp/$name.log" ]; then
	echo "E2E-FILE $name.log"
	gzip -c "/tmp/$name.log" | base64
	echo "E2E-FILE-END"
fi
exit $rc
