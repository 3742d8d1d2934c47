#!/bin/sh
# calls-sensitive.sh: a stand-in "test" for under-calls.sh's negative step:
# passes unless P-SEAMLDR calls fire while it runs, then fails with 1.
. /e2e/lib.sh
c0=$(calls)
sleep 2
[ "$(calls)" = "$c0" ]
