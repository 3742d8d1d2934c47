#!/bin/sh
# Layer emulator-check: the emulated CPU's own self-test
# (emulator/selftest/run.sh: a kernel module that drives SEAMCALL, the
# readings of SEAMRET, the record of active VMCSs and the test MSRs, and
# the exit lines Bochs prints) passes, and its negative control (--lie:
# the module sets the reading "none" whatever it then expects) fails with
# module checks failing and the exit lines differing.  TAP:
# build/tap/emulator-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
tap_open emulator-check
log=$out/emulator-check
mkdir -p "$log"
if sh "$top/emulator/selftest/run.sh" >"$log/good.log" 2>&1; then
	ok "self-test: $(sed -n 's/^selftest: \([0-9]* passed, 0 failed\)$/\1/p' "$log/good.log"), the CPU's exit lines match"
else
	not_ok "self-test passes"
	grep -E '^(not ok|selftest:|run.sh:)' "$log/good.log" | head -20 | diag
fi
if sh "$top/emulator/selftest/run.sh" --lie >"$log/lie.log" 2>&1; then
	not_ok "negative control (--lie) fails"
elif grep -q 'module checks: .* [1-9][0-9]* failed' "$log/lie.log" &&
	grep -q 'Bochs exit lines differ' "$log/lie.log"; then
	ok "negative control (--lie) fails: $(sed -n 's/^selftest: module checks: //p' "$log/lie.log"), exit lines differ"
else
	not_ok "negative control (--lie) fails for its reason (module checks and exit lines)"
	grep -E '^(selftest|run.sh):' "$log/lie.log" | diag
fi
tap_close
