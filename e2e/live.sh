#!/bin/sh
# live.sh NAME ARGS...: run seamldr_vmcs_test with ARGS and a progress log
# (machine-readable records, see the test's -h), printed on the console
# for the host's verdict and figures (logged.sh).  Exits with the test's
# status.
exec sh /e2e/logged.sh seamldr_vmcs_test "$@"
