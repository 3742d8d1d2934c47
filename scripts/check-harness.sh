#!/bin/sh
# Layer check-harness: the verdict logic judged on recorded cases, without
# Bochs, QEMU or a kernel tree, in seconds.  Every other layer's result is
# only as good as these judges, so each bad case must be judged failing,
# and for the reason it names (the failing TAP line must match), and each
# good case passing.  Fixtures: harness/.  TAP: build/tap/check-harness.tap.
#
#  e2e (verdict.sh): harness/serial/live.txt.gz is the console of a real
#    'make e2e' run of e2e/live.plan (CALLS=3000) that passed; each case
#    below edits a copy of it, the way a real failure would look.
#  tally.sh: TAP files with failures, without a plan, short of their plan.
#  kunit.sh --judge: harness/kunit/pass.json is kunit.py's JSON of a real
#    run of the suite; the others are it with a skip, a missing test case,
#    a failure, and no results; cases.c is the suite's KUNIT_CASE list.
. "$(dirname "$0")/../scripts/lib.sh"
h=$top/harness
w=$out/check-harness
rm -rf "$w"
mkdir -p "$w"
tap_open check-harness
t0=$(now)

# --- e2e: verdict.sh on the recorded console ---------------------------------
# case NAME pass|fail PATTERN EDIT...: the console with EDIT applied (a
# shell command run on RUN/serial.txt) must get verdict pass, or fail
# with a 'not ok' line matching PATTERN (grep -E) and no other.
case_e2e() {
	name=$1 want=$2 pat=$3
	shift 3
	run=$w/$name
	mkdir -p "$run"
	gunzip -c "$h/serial/live.txt.gz" >"$run/serial.txt"
	echo poweroff >"$run/end"
	(cd "$run" && eval "$*") || { not_ok "e2e case $name: its edit applies"; return; }
	PLAN=live CALLS=3000 "$top/scripts/verdict.sh" "$run" "$run/result.tap" \
		$( [ -f "$run/live.plan" ] && echo "$run/live.plan") >"$run/verdict.out" 2>&1
	rc=$?
	bad=$(grep '^not ok' "$run/result.tap")
	if [ "$want" = pass ]; then
		if [ $rc = 0 ] && [ -z "$bad" ]; then ok "e2e case $name: passes"
		else not_ok "e2e case $name: passes"; echo "$bad" | diag; fi
	elif [ $rc != 0 ] && [ "$(echo "$bad" | grep -c .)" = 1 ] && echo "$bad" | grep -q -E "$pat"; then
		ok "e2e case $name: fails as '$pat'"
	else
		not_ok "e2e case $name: fails as '$pat' only (exit $rc)"
		echo "${bad:-no 'not ok' line}" | diag
	fi
}
# The guest's TAP line of plan step N.
step() { grep -n -m1 -E "^(not )?ok $1 " serial.txt | cut -d: -f1; }
# repack LOG SED: rewrite the progress log LOG.log on the console with SED.
repack() {
	l=$(grep -n -m1 "^# E2E-FILE $1.log\$" serial.txt | cut -d: -f1)
	e=$(tail -n +"$l" serial.txt | grep -n -m1 '^# E2E-FILE-END$' | cut -d: -f1)
	sed -n "$((l + 1)),$((l + e - 2))p" serial.txt | sed 's/^# //' | base64 -d | gunzip | sed "$2" |
		gzip -n | base64 | sed 's/^/# /' >blob
	{ head -n "$l" serial.txt; cat blob; tail -n +"$((l + e - 1))" serial.txt; } >s.new
	mv s.new serial.txt
}
# The first kernel line before the first negative step, and after it.
judged_line() { n=$(grep -n -m1 '^E2E-STEP [0-9]* negative' serial.txt | cut -d: -f1); echo $((n - 1)); }

case_e2e clean pass - true
case_e2e skip_not_allowed fail 'step 2 set_sregs_test: skipped, and the plan' \
	'sed -i "$(step 2)s/.*/ok 2 set_sregs_test # SKIP kvm_intel not loaded/" serial.txt'
case_e2e skip_allowed_by_plan pass - \
	'sed -i "$(step 2)s/.*/ok 2 set_sregs_test # SKIP needs a TDX host/" serial.txt &&
	 sed "s|^set_sregs_test .*|& # may skip: needs a TDX host|" "$top/e2e/live.plan" >live.plan'
case_e2e negative_wrong_reason fail 'step 11 negative_1_raw_calls_caught: guest' \
	'repack negative-1 "s/^result failure kind=[a-z_]*/result failure kind=error/; s/^result verdict pass/result verdict fail/" &&
	 sed -i "$(step 11)s/.*/not ok 11 negative_1_raw_calls_caught # exit 1/" serial.txt'
case_e2e negative_ok_but_log_says_fail fail "step 11 negative_1_raw_calls_caught: its progress log negative-1.log doesn't end" \
	'repack negative-1 "s/^result verdict pass/result verdict fail/"'
case_e2e good_run_log_lost fail 'step 7 guests_survive_calls: its progress log good.log did not come through' \
	'sed -i "/^# E2E-FILE good.log\$/,/^# E2E-FILE-END\$/d" serial.txt'
case_e2e splat_judged fail 'host: kernel log clean' \
	'sed -i "$(judged_line)a [   42.123456] WARNING: CPU: 1 PID: 77 at arch/x86/kvm/vmx/vmx.c:3034 vmx_flush_loaded_vmcss+0x1/0x2 [kvm_intel]" serial.txt'
case_e2e splat_in_negative_not_judged pass - \
	'sed -i "$(($(judged_line) + 2))a [   99.123456] WARNING: CPU: 1 PID: 77 at arch/x86/kvm/vmx/vmx.c:1 vmread_error+0x1/0x2 [kvm_intel]" serial.txt'
case_e2e plan_mismatch fail 'host: /init ran plan live with 3000 calls' \
	'sed -i "s/^E2E-BEGIN plan=live calls=3000 /E2E-BEGIN plan=smoke calls=3000 /" serial.txt'
case_e2e calls_mismatch fail 'host: /init ran plan live with 3000 calls' \
	'sed -i "s/^E2E-BEGIN plan=live calls=3000 /E2E-BEGIN plan=live calls=30 /" serial.txt'
case_e2e step_missing fail 'step 13 negative_3_raw_calls_caught: not reported' \
	'sed -i "$(step 13)d" serial.txt'
case_e2e step_renamed fail "step 5 nested_close_kvm: the guest's step 5 is" \
	'sed -i "$(step 5)s/nested_close_kvm/something_else/" serial.txt'
case_e2e timeout fail 'host: clean poweroff' 'echo timeout >end'
# Userspace output and base64 that spell Oops are not the kernel's.
case_e2e oops_in_userspace_output pass - \
	'sed -i "$(judged_line)a # Oops, WARNING: this line is a test printing, not the kernel" serial.txt'
# A gzip header's file name field is where a real gzip stream can carry
# bytes of our choosing: 3a 8a 6c at offset 12 encode as "Oops" in base64.
case_e2e base64_spells_oops pass - \
	'l=$(grep -n -m1 "^# E2E-FILE good.log\$" serial.txt | cut -d: -f1) &&
	 e=$(tail -n +"$l" serial.txt | grep -n -m1 "^# E2E-FILE-END\$" | cut -d: -f1) &&
	 sed -n "$((l + 1)),$((l + e - 2))p" serial.txt | sed "s/^# //" | base64 -d | gunzip >good.orig &&
	 { printf "\037\213\010\010\000\000\000\000\000\003xx\072\212\154\000"; gzip -n -c good.orig | tail -c +11; } |
		base64 | sed "s/^/# /" >blob && grep -q Oops blob &&
	 { head -n "$l" serial.txt; cat blob; tail -n +"$((l + e - 1))" serial.txt; } >s.new && mv s.new serial.txt'
cmp -s "$w/base64_spells_oops/logs/good.log" "$w/base64_spells_oops/good.orig" ||
	not_ok "e2e case base64_spells_oops: the progress log decodes unchanged"

# --- tally.sh ------------------------------------------------------------------
# tally FILES... EXPECTED: the last line must be EXPECTED, the exit status
# 0 only for "N passed, 0 failed".
case_tally() {
	want=$1
	shift
	got=$(cd "$h/tap" && "$top/scripts/tally.sh" "$@" 2>&1)
	rc=$?
	last=$(echo "$got" | tail -1)
	case $want in *" 0 failed") wrc=0 ;; *) wrc=1 ;; esac
	if [ "$last" = "$want" ] && [ $rc = $wrc ]; then ok "tally $*: $want"
	else not_ok "tally $*: $want (got '$last', exit $rc)"; fi
}
case_tally "2 passed, 0 failed" pass.tap
case_tally "4 passed, 1 failed" pass.tap fail.tap
case_tally "4 passed, 1 failed" pass.tap noplan.tap
case_tally "3 passed, 1 failed" pass.tap short.tap
case_tally "2 passed, 1 failed" pass.tap missing.tap

# --- kunit.sh --judge ------------------------------------------------------------
case_kunit() {
	json=$1 want=$2 pat=$3
	"$top/scripts/kunit.sh" --judge "$h/kunit/$json" "$h/kunit/cases.c" "$w/kunit-$json.tap" >/dev/null 2>&1
	rc=$?
	bad=$(grep '^not ok' "$w/kunit-$json.tap")
	if [ "$want" = pass ]; then
		if [ $rc = 0 ] && [ -z "$bad" ]; then ok "kunit judge $json: passes"
		else not_ok "kunit judge $json: passes"; echo "$bad" | diag; fi
	elif [ $rc != 0 ] && echo "$bad" | grep -q -E "$pat"; then
		ok "kunit judge $json: fails as '$pat'"
	else
		not_ok "kunit judge $json: fails as '$pat' (exit $rc)"
		echo "${bad:-no 'not ok' line}" | diag
	fi
}
case_kunit pass.json pass -
case_kunit skip.json fail 'seamldr_call_flushes_first_with_bug: SKIP'
case_kunit missing.json fail 'seamldr_info_reads_make_no_call: did not run'
case_kunit fail.json fail 'seamldr_call_flushes_first_with_bug: FAIL'
case_kunit empty.json fail "results .* hold test cases"

echo "check-harness: $(($(now) - t0)) s"
tap_close
