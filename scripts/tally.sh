#!/bin/sh
# tally.sh TAP...: count the results of TAP files in one place, with perl's
# prove (a kept TAP harness that Debian ships with perl).  A file that is
# missing, has no plan, or doesn't match its plan counts as one failure on
# top of its failed tests.  Last line: 'N passed, N failed'; exit 1 unless
# nothing failed.
. "$(dirname "$0")/../scripts/lib.sh"
[ $# -gt 0 ] || die "usage: tally.sh TAP..."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
prove --exec cat --nocolor "$@" >"$log" 2>&1
rc=$?
sed -n '/^Test Summary Report/,$p' "$log" | grep -v -E '^(Files=|Result:)' || true
awk -v rc="$rc" '
	/^Files=[0-9]+, Tests=[0-9]+/ { sub(/^Files=[0-9]+, Tests=/, ""); tests = $0 + 0 }
	# A file in the summary report had failures or a broken plan.
	/\(Wstat: .* Tests: [0-9]+ Failed: [0-9]+\)$/ {
		f = $NF; sub(/\)$/, "", f); failed += f; bad += (f > 0 ? f : 1) }
	END {
		if (tests == "" && rc != 0) bad++
		printf "%d passed, %d failed\n", tests - failed, bad
		exit bad > 0 || rc != 0
	}' "$log"
