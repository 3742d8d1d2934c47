#!/bin/sh
# Run a test plan as TAP.  A plan line is: NAME COMMAND...; COMMAND's exit
# status gives the result (0 ok, 4 = kselftest skip, else not ok) and its
# output is printed as TAP diagnostics.  Lines starting with # are comments.
# Each step is announced as "E2E-STEP N NAME" first, so that the host can
# tell which step a kernel message came from.
plan=$1
n=$(grep -c -v -E '^[[:space:]]*(#|$)' "$plan")
echo "TAP version 13"
echo "1..$n"
i=0
grep -v -E '^[[:space:]]*(#|$)' "$plan" | while read -r name cmd; do
	i=$((i + 1))
	echo "E2E-STEP $i $name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	sh -c "$cmd" >/tmp/out 2>&1 </dev/null
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	sed 's/^/# /' /tmp/out
	case $rc in
	0) echo "ok $i $name # guest time ${t0}s..${t1}s" ;;
	4) echo "ok $i $name # SKIP" ;;
	*) echo "not ok $i $name # exit $rc" ;;
	esac
done
