#!/bin/sh
# run-plan.sh PLAN: run a test plan as TAP.  A plan line is
#   NAME COMMAND...                       0 is ok, anything else not ok
#   NAME COMMAND... # may skip: REASON    and exit 4 (kselftest skip) is
#                                         ok # SKIP REASON
# A skip without that note is a failure: a test that didn't run proved
# nothing.  COMMAND's output is printed as TAP diagnostics ("# ").  Each
# step is announced as "E2E-STEP N NAME" first, so that the host can tell
# which step a kernel message came from.  Lines starting with # are
# comments.  scripts/verdict.sh judges the same plan from the repo's copy.
plan=$1
n=$(grep -c -v -E '^[[:space:]]*(#|$)' "$plan")
echo "TAP version 13"
echo "1..$n"
i=0
grep -v -E '^[[:space:]]*(#|$)' "$plan" | while read -r name cmd; do
	i=$((i + 1))
	skip_ok=
	case $cmd in *"# may skip: "*) skip_ok=${cmd##*# may skip: } ;; esac
	echo "E2E-STEP $i $name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	sh -c "$cmd" >/tmp/out 2>&1 </dev/null
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	sed 's/^/# /' /tmp/out
	case $rc:$skip_ok in
	0:*) echo "ok $i $name # guest time ${t0}s..${t1}s" ;;
	4:?*) echo "ok $i $name # SKIP $skip_ok" ;;
	4:) echo "not ok $i $name # skipped (exit 4), and the plan doesn't say it may" ;;
	*) echo "not ok $i $name # exit $rc" ;;
	esac
done
