#!/bin/sh
# make check: every test layer, in pipeline order, each timed.  A layer
# that fails does not stop the others (their results are still worth
# having), but makes the whole check fail.  Each layer prints a line
# 'LAYER: N passed, N failed'; the last line sums them.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
mkdir -p build
: >build/stages.txt
log=build/check.log
: >"$log"
t0=$(date +%s)
layer() {
	name=$1
	shift
	"$top/scripts/stage.sh" "$name" "$@" 2>&1 | tee -a "$log"
	# A layer that died before printing its count counts as one failure.
	tail -1 build/stages.txt | grep -q " ok " ||
		grep -q "^$name: [0-9]* passed, [0-9]* failed" "$log" ||
		echo "$name: 0 passed, 1 failed" | tee -a "$log"
}
layer tree make --no-print-directory tree
layer series-check "$top/scripts/series-check.sh"
layer kunit "$top/scripts/kunit.sh"
layer hotpath-check "$top/scripts/hotpath-check.sh"
layer docs-check "$top/scripts/docs-check.sh"
layer model make --no-print-directory model-test
# A shorter good run than make e2e (12000 calls) keeps CI within budget.
layer e2e env CALLS=3000 "$top/scripts/e2e.sh"
echo
echo "stage            result   seconds"
awk '{ printf "%-16s %-8s %7d\n", $1, $2, $3 }' build/stages.txt
echo "total                     $(($(date +%s) - t0))"
p=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
f=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
bad=$(grep -c FAILED build/stages.txt)
[ "$bad" -gt 0 ] && [ "$f" = 0 ] && f=$bad
echo "$p passed, $f failed"
[ "$f" = 0 ] && [ "$bad" = 0 ]
