#!/bin/sh
# tally.sh TAP...: count the results of every layer's TAP file in one
# place.  perl's prove (Debian's perl) reads them first, and its summary of
# what went wrong is printed; the count is stricter than prove's: a test
# marked TODO counts as failed whatever it says, a file that is missing,
# has no plan, or plans nothing (1..0) counts as one failure, and each
# test a file's plan promises but doesn't report counts as one failure.
# Last line: 'N passed, N failed'; exit 1 unless nothing failed.
. "$(dirname "$0")/../scripts/lib.sh"
[ $# -gt 0 ] || die "usage: tally.sh TAP..."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
prove --exec cat --nocolor "$@" >"$log" 2>&1
sed -n '/^Test Summary Report/,$p' "$log" | grep -v -E '^(Files=|Result:)' || true
for f; do
	if [ -r "$f" ]; then cat "$f"; else echo "MISSING-FILE"; fi
	echo "END-OF-FILE"
done | awk '
	function close_file() {
		if (missing) { bad++; print "  missing file" > "/dev/stderr" }
		else if (plan == "") bad++
		else if (plan == 0) bad++
		else if (seen < plan) bad += plan - seen
		else if (seen > plan) bad += seen - plan
		plan = ""; seen = 0; missing = 0
	}
	/^MISSING-FILE$/ { missing = 1; next }
	/^END-OF-FILE$/ { close_file(); next }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
	/^(not )?ok[ \t]/ {
		seen++
		if ($0 ~ /# *TODO/ || $1 == "not") bad++
		else good++
	}
	END { printf "%d passed, %d failed\n", good, bad; exit bad > 0 }'
