#!/bin/sh
# check.sh LAYER... -- MAKEVAR=VALUE...: make check.  Runs each layer as
# 'make LAYER MAKEVAR=VALUE...', in order (every stage timed by stage.sh);
# a layer that fails doesn't stop the others, their results are still
# worth having.  Each layer writes build/tap/LAYER.tap; tally.sh counts
# them all, once, and prints the last line, 'N passed, N failed' (also
# kept in build/check.summary, for .ci/run), with one more failure per
# layer whose make failed.
. "$(dirname "$0")/../scripts/lib.sh"
layers=
while [ $# -gt 0 ] && [ "$1" != -- ]; do layers="$layers $1"; shift; done
[ "${1:-}" = -- ] && shift
cd "$top" || exit 1
rm -rf "$tapdir" build/check.summary
t0=$(now)
# Only the check's own knobs reach the layers: command-line variables of
# the 'make check' that called us (MAKEFLAGS) would otherwise override the
# Makefile's defaults in every layer, e.g. EMU_NCPU=1 or CMDLINE=quiet.
# A layer whose make fails fails the check whatever its TAP says (a TAP
# file left by another run must not stand in for this one).
failed_layers=
for l in $layers; do
	env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL \
		make --no-print-directory "$l" "$@" || failed_layers="$failed_layers $l"
done
"$top/scripts/stages.sh"
echo "check: $(($(now) - t0)) s"
echo
files=
for l in $layers; do files="$files $tapdir/$l.tap"; done
# shellcheck disable=SC2086 # one file a word
"$top/scripts/tally.sh" $files | tee build/check.tally
if [ -n "$failed_layers" ]; then
	# one more failure per failed layer, in the line CI reads
	set -- $failed_layers
	echo "check: layers whose make failed:$failed_layers"
	tail -1 build/check.tally |
		awk -v k=$# '{ printf "%d passed, %d failed\n", $1, $3 + k }' >>build/check.tally
	tail -1 build/check.tally
fi
tail -1 build/check.tally >build/check.summary
grep -q '^[0-9]* passed, 0 failed$' build/check.summary
