#!/bin/sh
# Layer check-harness: the verdict logic judged on recorded cases, without
# Bochs, QEMU or a kernel tree, in seconds.  Every other layer's result is
# only as good as these judges, so each bad case must be judged failing,
# and for the reason it names (the failing TAP line must match), and each
# good case passing.  Fixtures: fixtures/.  TAP: build/tap/check-harness.tap.
#
#  e2e (verdict.sh): fixtures/serial/ holds a real 'make e2e' run (CALLS
#    as its knobs.txt says) that passed: the console (live.txt.gz), the
#    emulated CPU's exit lines (seamemu.txt), its knobs (knobs.txt), and
#    the copy of e2e/live.plan it ran (live.plan, which must still be
#    e2e/live.plan: re-record the run when the plan changes); each case
#    below edits a copy of them, the way a real failure would look.
#  tally.sh: TAP files with failures, without a plan, short of their plan
#    (each test short counts), with a TODO'd failure, planning nothing.
#  series-check's checkpatch judge: a clean report passes, and six that
#    must not (a lone CHECK among them), don't.
#  tdx-host-check.sh: dry runs against a fake TDX host (a /sys and /proc
#    made here, and a stand-in for the selftest), a good one and three that
#    must stop with the reason; and shellcheck on the script.
#  kunit.sh --judge: fixtures/kunit/pass.json is kunit.py's JSON of a real
#    run of the suite; the others are it with a skip, a missing test case,
#    a failure, and no results; cases.c is the suite's KUNIT_CASE list,
#    cases-deleted.c the same with one case deleted (kunit/cases.txt still
#    wants it); clean.log and splat.log are kernel logs of real runs, the
#    second with the lockdep report and WARNs v1's tests caused unnoticed.
#  soak.sh: three real rounds and a negative step (fixtures/soak/logs),
#    then each way a round or the soak must fail.
#  bench.sh: fixtures/bench/serial.txt is the perf test's output of a real
#    'make bench', with its negative step's (NEG); the bad cases break the
#    claim it checks, cut the output, or make the negative step pass.
#  e2e/qemu-verdict.sh: the QEMU plan's judge of a step, on the figures a
#    good step and each way a step must fail would log.
. "$(dirname "$0")/../scripts/lib.sh"
h=$top/fixtures
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
	cp "$h/serial/live.plan" "$run/plan"
	cp "$h/serial/seamemu.txt" "$h/serial/knobs.txt" "$run/"
	echo poweroff >"$run/end"
	(cd "$run" && eval "$*") || { not_ok "e2e case $name: its edit applies"; return; }
	# As an old run is judged again: the knobs and the plan from the run.
	env -u PLAN -u CALLS "$top/scripts/verdict.sh" "$run" "$run/result.tap" \
		>"$run/verdict.out" 2>&1
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

if diff -q "$h/serial/live.plan" "$top/e2e/live.plan" >/dev/null; then
	ok "e2e fixture: fixtures/serial/live.plan is e2e/live.plan"
else
	not_ok "e2e fixture: fixtures/serial/live.plan is e2e/live.plan (re-record the run)"
fi
calls=$(sed -n 's/^CALLS=//p' "$h/serial/knobs.txt")
case_e2e clean pass - true
case_e2e skip_not_allowed fail 'step 3 set_sregs_test: skipped, and the plan' \
	'sed -i "$(step 3)s/.*/ok 3 set_sregs_test # SKIP kvm_intel not loaded/" serial.txt'
case_e2e skip_allowed_by_plan pass - \
	'sed -i "$(step 3)s/.*/ok 3 set_sregs_test # SKIP needs a TDX host/" serial.txt &&
	 sed -i "s|^set_sregs_test .*|& # may skip: needs a TDX host|" plan'
case_e2e negative_wrong_reason fail 'step 22 negative_raw_current_caught: guest' \
	'repack negative-raw-current "s/^result failure kind=[a-z_]*/result failure kind=error/; s/^result verdict pass/result verdict fail/" &&
	 sed -i "$(step 22)s/.*/not ok 22 negative_raw_current_caught # exit 1/" serial.txt'
case_e2e negative_ok_but_log_says_fail fail "step 22 negative_raw_current_caught: its progress log negative-raw-current.log doesn't end" \
	'repack negative-raw-current "s/^result verdict pass/result verdict fail/"'
case_e2e good_run_log_lost fail 'step 12 guests_survive_updates_current: its progress log good-current.log did not come through' \
	'sed -i "/^# E2E-FILE good-current.log\$/,/^# E2E-FILE-END\$/d" serial.txt'
case_e2e splat_judged fail 'host: kernel log clean' \
	'sed -i "$(judged_line)a [   42.123456] WARNING: CPU: 1 PID: 77 at arch/x86/kvm/vmx/vmx.c:3034 vmclear_local_loaded_vmcss+0x1/0x2 [kvm_intel]" serial.txt'
case_e2e splat_in_negative_not_judged pass - \
	'sed -i "$(($(judged_line) + 2))a [   99.123456] WARNING: CPU: 1 PID: 77 at arch/x86/kvm/vmx/vmx.c:1 vmread_error+0x1/0x2 [kvm_intel]" serial.txt'
case_e2e plan_mismatch fail "host: /init ran plan live with $calls calls" \
	"sed -i 's/^E2E-BEGIN plan=live calls=$calls /E2E-BEGIN plan=smoke calls=$calls /' serial.txt"
case_e2e calls_mismatch fail "host: /init ran plan live with $calls calls" \
	"sed -i 's/^E2E-BEGIN plan=live calls=$calls /E2E-BEGIN plan=live calls=30 /' serial.txt"
case_e2e step_missing fail 'step 29 negative_classifier_tells_all: not reported' \
	'sed -i "$(step 29)d" serial.txt'
case_e2e step_renamed fail "step 6 nested_close_kvm: the guest's step 6 is" \
	'sed -i "$(step 6)s/nested_close_kvm/something_else/" serial.txt'
case_e2e timeout fail 'host: clean poweroff' 'echo timeout >end'
# A console without the kernel's warnings (quiet, a low loglevel) is clean
# whatever happened.
case_e2e kernel_warnings_off fail 'host: kernel warnings reach the console' \
	'sed -i "s/\[ *[0-9.]*\] e2e: kernel warnings reach the console//" serial.txt'
# The CPU saw an I3 violation, or a VMCS active at a SEAMRET, that no step
# reported; or the CPU's lines are missing (not the patched Bochs).
case_e2e cpu_saw_more_than_steps fail "host: the emulated CPU's totals at exit match the steps' reports" \
	'sed -i "s/^\(seamemu: cpu1 .*\) i3=\([0-9]*\)/\1 i3=9\2/" seamemu.txt'
case_e2e cpu_lines_missing fail "host: the emulated CPU's counters at exit" 'rm seamemu.txt'
# Userspace output and base64 that spell Oops are not the kernel's.
case_e2e oops_in_userspace_output pass - \
	'sed -i "$(judged_line)a # Oops, WARNING: this line is a test printing, not the kernel" serial.txt'
# A gzip header's file name field is where a real gzip stream can carry
# bytes of our choosing: 3a 8a 6c at offset 12 encode as "Oops" in base64.
case_e2e base64_spells_oops pass - \
	'l=$(grep -n -m1 "^# E2E-FILE good-current.log\$" serial.txt | cut -d: -f1) &&
	 e=$(tail -n +"$l" serial.txt | grep -n -m1 "^# E2E-FILE-END\$" | cut -d: -f1) &&
	 sed -n "$((l + 1)),$((l + e - 2))p" serial.txt | sed "s/^# //" | base64 -d | gunzip >good.orig &&
	 { printf "\037\213\010\010\000\000\000\000\000\003xx\072\212\154\000"; gzip -n -c good.orig | tail -c +11; } |
		base64 | sed "s/^/# /" >blob && grep -q Oops blob &&
	 { head -n "$l" serial.txt; cat blob; tail -n +"$((l + e - 1))" serial.txt; } >s.new && mv s.new serial.txt'
cmp -s "$w/base64_spells_oops/logs/good-current.log" "$w/base64_spells_oops/good.orig" ||
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
case_tally "3 passed, 2 failed" pass.tap short.tap
case_tally "2 passed, 1 failed" pass.tap missing.tap
case_tally "3 passed, 1 failed" pass.tap todo.tap
case_tally "2 passed, 1 failed" pass.tap none.tap

# --- kunit.sh --judge ------------------------------------------------------------
case_kunit() {
	json=$1 want=$2 pat=$3 log=${4:-clean.log} src=${5:-cases.c}
	"$top/scripts/kunit.sh" --judge "$h/kunit/$json" "$h/kunit/$src" "$w/kunit-$json-$log.tap" \
		"$h/kunit/$log" >/dev/null 2>&1
	rc=$?
	bad=$(grep '^not ok' "$w/kunit-$json-$log.tap")
	if [ "$want" = pass ]; then
		if [ $rc = 0 ] && [ -z "$bad" ]; then ok "kunit judge $json, $log: passes"
		else not_ok "kunit judge $json, $log: passes"; echo "$bad" | diag; fi
	elif [ $rc != 0 ] && echo "$bad" | grep -q -E "$pat"; then
		ok "kunit judge $json, $log: fails as '$pat'"
	else
		not_ok "kunit judge $json, $log: fails as '$pat' (exit $rc)"
		echo "${bad:-no 'not ok' line}" | diag
	fi
}
case_kunit pass.json pass -
case_kunit skip.json fail 'update_vmclears_every_cpu_before_shutdown: SKIP'
case_kunit missing.json fail 'info_reads_make_no_call: did not run'
case_kunit fail.json fail 'update_vmclears_every_cpu_before_shutdown: FAIL'
case_kunit empty.json fail "results .* hold test cases"
case_kunit pass.json fail 'no kernel splat while the suite ran' splat.log
# A case deleted from the source, and so from kunit.py's run, that no
# mutant names: the committed list still wants it.
case_kunit missing.json fail 'has the cases of kunit/cases.txt' clean.log cases-deleted.c

# --- tdx-host-check.sh, dry runs ---------------------------------------------
# fake_host DIR: an affected TDX host with the series, as sysfs shows it.
fake_host() {
	mkdir -p "$1/sys/class/firmware/tdx_module" "$1/sys/devices/faux/tdx_host" \
		"$1/sys/module/kvm_intel" "$1/sys/module/tdx_host" "$1/proc/sys/kernel" "$1/dev"
	for f in loading data status error; do : >"$1/sys/class/firmware/tdx_module/$f"; done
	echo 1.5.06 >"$1/sys/devices/faux/tdx_host/version"
	echo 1.1.00 >"$1/sys/devices/faux/tdx_host/seamldr_version"
	echo 3 >"$1/sys/devices/faux/tdx_host/num_remaining_updates"
	printf 'model name\t: Intel(R) Xeon(R) (fake)\nbugs\t\t: spectre_v1 seamret_invd_vmcs\n' >"$1/proc/cpuinfo"
	echo 7.3.4-seamldr-vmcs >"$1/proc/sys/kernel/osrelease"
	ln -s /dev/null "$1/dev/kvm"
	echo "[ 1.0] tdx_host tdx_host: seamret_invd_vmcs: KVM VMCLEARs its VMCSs before each update" >"$1/dmesg"
	echo image >"$1/module.bin"
	# The selftest's stand-in: TAP, and the update as sysfs would show it.
	cat >"$1/selftest" <<FAKE
#!/bin/sh
echo "TAP version 13"; echo "1..6"
for i in 1 2 3 4 5; do echo "ok \$i vm/vcpu\$i made progress with sequence and checksums intact"; done
echo 1.5.08 >"$1/sys/devices/faux/tdx_host/version"
echo 2 >"$1/sys/devices/faux/tdx_host/num_remaining_updates"
echo "[ 2.0] seamldr: TDX module updated" >>"$1/dmesg"
echo "ok 6 1 update writes fired"
exit \${FAKE_RC:-0}
FAKE
	chmod +x "$1/selftest"
}
# case_host NAME EXIT PATTERN EDIT: a dry run on the fake host with EDIT
# applied must exit EXIT and report a line matching PATTERN.
case_host() {
	name=$1 want=$2 pat=$3
	shift 3
	d=$w/host-$name
	fake_host "$d"
	(cd "$d" && eval "$*") || { not_ok "tdx-host-check case $name: its edit applies"; return; }
	"$top/scripts/tdx-host-check.sh" --root "$d" --dmesg "cat $d/dmesg" --selftest "$d/selftest" \
		--report "$d/report.txt" "$d/module.bin" >"$d/out" 2>&1
	rc=$?
	if [ $rc = "$want" ] && grep -q -E "$pat" "$d/report.txt"; then
		ok "tdx-host-check case $name: exit $rc, '$pat'"
	else
		not_ok "tdx-host-check case $name: exit $want (got $rc), '$pat'"
		tail -5 "$d/report.txt" | diag
	fi
}
case_host good 0 '^after: TDX module 1.5.08, P-SEAMLDR 1.1.00, 2 update' true
case_host abi_hidden 1 '^MISSING: the runtime update ABI is visible' 'rm -r sys/class/firmware/tdx_module'
case_host no_updates_left 1 '^MISSING: num_remaining_updates \(0\)' 'echo 0 >sys/devices/faux/tdx_host/num_remaining_updates'
case_host selftest_fails 1 '^result: FAIL: the selftest exited 1' 'sed -i "s/FAKE_RC:-0/FAKE_RC:-1/" selftest'
case_host version_unchanged 1 '^result: FAIL: the TDX module version did not change' \
	'sed -i "s/echo 1.5.08 /echo 1.5.06 /" selftest'
case_host slots_not_used 1 '^result: FAIL: num_remaining_updates went from 3 to 3' \
	'sed -i "s/^echo 2 >/echo 3 >/" selftest'
case_host warn_in_log 1 '^result: FAIL: the kernel log has 1 splat' \
	'sed -i "s/^echo \"\[ 2.0\] seamldr: TDX module updated\"/echo \"[ 2.0] WARNING: CPU: 0 PID: 1 at arch\/x86\/virt\/vmx\/tdx\/seamldr.c:1 x+0x1\/0x2\"/" selftest'
if (cd "$top/scripts" && shellcheck -x -s sh tdx-host-check.sh) >"$w/shellcheck.out" 2>&1; then
	ok "shellcheck scripts/tdx-host-check.sh"
else
	not_ok "shellcheck scripts/tdx-host-check.sh"
	head -20 "$w/shellcheck.out" | diag
fi

# --- series-check's checkpatch judge (lib.sh checkpatch_verdict) -------------
# case_cp NAME pass|fail RC REPORT: checkpatch's exit status and --terse
# report for one patch must be judged as said.
case_cp() {
	if checkpatch_verdict "$3" "$4" >/dev/null; then got=pass; else got=fail; fi
	if [ "$2" = pass ]; then want=passes; else want=fails; fi
	if [ "$got" = "$2" ]; then ok "checkpatch judge case $1: $want"
	else not_ok "checkpatch judge case $1: $want (got $got)"; fi
}
nmi='p.patch:147: CHECK: Consider using #include <linux/nmi.h> instead of <asm/nmi.h>'
case_cp clean pass 0 ''
case_cp asm_nmi_only fail 1 "$nmi
total: 0 errors, 0 warnings, 1 checks, 636 lines checked"
case_cp asm_nmi_and_warning fail 1 "$nmi
p.patch:29: WARNING: Prefer a maximum 75 chars per line (possible unwrapped commit description?)
total: 0 errors, 1 warnings, 1 checks, 636 lines checked"
case_cp other_check fail 1 'p.patch:12: CHECK: Alignment should match open parenthesis
total: 0 errors, 0 warnings, 1 checks, 80 lines checked'
case_cp asm_other fail 1 'p.patch:9: CHECK: Consider using #include <linux/io.h> instead of <asm/io.h>
total: 0 errors, 0 warnings, 1 checks, 80 lines checked'
case_cp died_silently fail 2 ''
case_cp total_disagrees fail 1 "$nmi
total: 1 errors, 0 warnings, 1 checks, 636 lines checked"

# --- bench.sh: the claim's judge, on the perf test's lines of a real run -----
# case_bench NAME EXIT PATTERN EDIT: fixtures/bench/serial.txt with EDIT (sed
# on it) must make 'bench.sh --no-plot' exit EXIT with output matching PATTERN.
case_bench() {
	d=$w/bench-$1
	mkdir -p "$d"
	sed -e "$4" "$h/bench/serial.txt" >"$d/serial.txt"
	"$top/scripts/bench.sh" --no-plot "$d" >"$d/out" 2>&1
	rc=$?
	if [ $rc = "$2" ] && grep -q -E "$3" "$d/out"; then
		ok "bench.sh: $1"
	else
		not_ok "bench.sh: $1 (exit $rc, wanted $2 and /$3/; ${d#"$top"/}/out)"
	fi
}
case_bench good 0 'Claim .*\*\*holds\*\*' ''
case_bench vmclear_short 1 'does not hold: N=64 made 63-64 VMCLEARs' \
	's/^# cost n=64 \(.*\)vmclear_min=64/# cost n=64 \1vmclear_min=63/'
case_bench no_vmlaunch_after_update 1 'does not hold: 20 runs after an update: 20 VMPTRLD, 19 VMLAUNCH' \
	's/kind=after_update runs=20 vmptrld=20 vmlaunch=20/kind=after_update runs=20 vmptrld=20 vmlaunch=19/'
case_bench no_tlb_flush_after_update 1 'does not hold: 20 runs after an update: 20 VMPTRLD, 20 VMLAUNCH, 19 TLB' \
	's/\(kind=after_update .*\)tlb_flush=20/\1tlb_flush=19/'
case_bench vmptrld_after_no_update 1 'does not hold: 20 runs after no update: 1 VMPTRLD' \
	's/\(kind=no_update runs=20 \)vmptrld=0/\1vmptrld=1/'
case_bench grid_incomplete 1 'no complete perf test output.*no cost line for N=16' '/^# cost n=16 /d'
case_bench samples_short 1 'no complete perf test output.*N=8 has 99 samples, not 100' \
	's/^# cost n=8 samples=100/# cost n=8 samples=99/'
case_bench field_missing 1 'no complete perf test output.*N=4 lacks a field' \
	's/^\(# cost n=4 .*\) us_p90=[0-9]*/\1/'
case_bench round_trips_missing 1 'no complete perf test output.*round-trip lines missing' '/^# round_trips kind=nop /d'
case_bench output_cut 1 'no complete perf test output' '/^# vcpu /d'
case_bench no_end_line 1 'no complete perf test output.*no end line' '/^# bench done/d'
case_bench negative_not_caught 1 'Negative control .*: NOT caught' \
	'/^# NEG cost /s/ n=\([0-9]*\)\(.*\)vmclear_min=[0-9]* vmclear_max=[0-9]*/ n=\1\2vmclear_min=\1 vmclear_max=\1/'
case_bench negative_missing 1 'Negative control .*: missing' '/^# NEG /d'

# --- kbuild.sh's check that every fragment option stuck (lib.sh) -------------
# A Kconfig tree: FOO_ON and FOO_LATER at the branch tip, only FOO_ON in
# the checkout; a .config with FOO_ON=y.
k=$w/kconfig
mkdir -p "$k/src"
git -C "$k/src" init -q -b master
printf 'config FOO_ON\n\tbool "on"\n\nconfig FOO_LATER\n\tbool "later"\n' >"$k/src/Kconfig"
git -C "$k/src" add Kconfig
git -C "$k/src" -c user.name=h -c user.email=h@invalid commit -q -m tip
printf 'config FOO_ON\n\tbool "on"\n' >"$k/src/Kconfig"
echo CONFIG_FOO_ON=y >"$k/config"
case_kb() {
	printf '%s\n' "$3" >"$k/frag"
	got=$(unstuck_options "$k/config" "$k/src" "$k/frag")
	if { [ "$2" = stuck ] && [ -z "$got" ]; } || { [ "$2" != stuck ] && echo "$got" | grep -q -F "$2"; }; then
		ok "kbuild fragment check case $1: ${2}"
	else
		not_ok "kbuild fragment check case $1: ${2} (got '$got')"
	fi
}
case_kb set stuck CONFIG_FOO_ON=y
case_kb added_by_a_later_patch stuck CONFIG_FOO_LATER=y
case_kb typo 'no Kconfig defines FOO_TYPO' CONFIG_FOO_TYPO=y
case_kb not_set 'CONFIG_FOO_ON=n (got: CONFIG_FOO_ON=y)' CONFIG_FOO_ON=n

# --- soak.sh: the soak's judge, on three real rounds and a negative step ------
# fixtures/soak/logs: the progress logs of a live run's good steps under
# pointer, current and all, as rounds 1-3 of e2e/soak.plan, and of its
# negative step.  case_soak NAME EXIT PATTERN EDIT: EDIT (a command run in
# the copied directory) must make soak.sh exit EXIT saying PATTERN.
case_soak() {
	d=$w/soak-$1
	mkdir -p "$d"
	cp -r "$h/soak/logs" "$d/"
	(cd "$d" && eval "$4") || { not_ok "soak.sh case $1: its edit applies"; return; }
	"$top/scripts/soak.sh" "$d" >"$d/out" 2>&1
	rc=$?
	if [ $rc = "$2" ] && grep -q -E "$3" "$d/out"; then
		ok "soak.sh: $1"
	else
		not_ok "soak.sh: $1 (exit $rc, wanted $2 and /$3/; ${d#"$top"/}/out)"
	fi
}
case_soak good 0 '3 of 3 pass' true
case_soak round_failed 1 'rounds that fail: soak-02' \
	'sed -i "s/^result verdict pass/result verdict fail/" logs/soak-02.log'
case_soak cleared_and_i3 1 'rounds that fail: soak-03' \
	'sed -i "s/^\(result calls .*\) cleared=0 i3=0/\1 cleared=2 i3=1/" logs/soak-03.log'
case_soak other_reading 1 'rounds that fail: soak-01' \
	'sed -i "s/SEAMRET pointer/SEAMRET current/" logs/soak-01.log'
case_soak no_hotplug 1 'rounds that fail: soak-02' \
	'sed -i "/^result hotplug/d" logs/soak-02.log'
case_soak nothing_found 1 'rounds that fail: soak-01' \
	'sed -i "s/^\(result calls .*\) found=[0-9]*/\1 found=0/" logs/soak-01.log'
case_soak negative_not_caught 1 'the negative step .* was not caught' \
	'sed -i "s/^result verdict pass/result verdict fail/" logs/negative-raw-all.log'

# --- docs-check's judge (lib.sh docs_verdict) ----------------------------------
printf 'ERROR: the arch/x86 build failed\nWARNING: old one\n' >"$w/docs-base.warn"
printf 'WARNING: old one\n' >"$w/docs-same.warn"
printf 'WARNING: new one\nWARNING: old one\n' >"$w/docs-new.warn"
case_docs() {
	if docs_verdict "$2" "$w/docs-base.warn" "$w/$3" >"$w/docs-$1.out"; then got=pass; else got=fail; fi
	if [ "$got" = "$4" ] && { [ "$4" = pass ] || grep -q "$5" "$w/docs-$1.out"; }; then
		ok "docs-check judge case $1: $4"
	else
		not_ok "docs-check judge case $1: $4 (got $got)"
	fi
}
case_docs clean '' docs-same.warn pass
case_docs new_warning '' docs-new.warn fail 'adds warnings'
# The base's build failed the same way: the error lines cancel out, the
# failure of the posting's build doesn't.
case_docs failed_build 1 docs-base.warn fail 'the build with the posting failed'

# --- e2e/qemu-verdict.sh: the QEMU plan's judge of a step -----------------------
# case_qemu NAME WANT ARGS...: qemu_verdict ARGS (BG GUEST QRC KVMERR
# SPLATS I3 FIRED FOUND CLEARED HOT CYCLES) must print WANT exactly.
. "$top/e2e/qemu-verdict.sh"
case_qemu() {
	name=$1 want=$2
	shift 2
	got=$(qemu_verdict "$@")
	if [ "$got" = "$want" ]; then ok "qemu judge case $name: $want"
	else not_ok "qemu judge case $name: wanted '$want', got '$got'"; fi
}
#                                  BG     GUEST QRC KVM SPL I3 FIRED FOUND CLR HOT CYC
case_qemu alone          pass      none   done   0   0   0  0   0     0    0   0   0
case_qemu updates        pass      update done   0   0   0  0   250   400  0   2000 30
case_qemu load           pass      nop    done   0   0   0  0   250   0    0   2000 30
case_qemu incomplete     "fail: the guest's work: incomplete" update incomplete 0 0 0 0 250 400 0 2000 30
case_qemu mismatch       "fail: the guest's work: mismatch" none mismatch 0 0 0 0 0 0 0 0 0
case_qemu qemu_exit      "fail: QEMU exited 1" update done 1 0 0 0 250 400 0 2000 30
case_qemu kvm_error      "fail: 1 KVM errors in QEMU's output" update done 0 1 0 0 250 400 0 2000 30
case_qemu splat          "fail: 2 new splats in the kernel log" nop done 0 0 2 0 250 0 0 2000 30
case_qemu i3             "fail: 1 I3 violations (a VMCS loaded while active on another CPU)" update done 0 0 0 1 250 400 0 2000 30
case_qemu nothing_fired  "fail: no update write fired" update done 0 0 0 0 0 0 0 2000 30
case_qemu nothing_found  "fail: no call found a VMCS current" update done 0 0 0 0 250 0 0 2000 30
case_qemu no_hotplug     "fail: no CPU hotplug cycle" update done 0 0 0 0 250 400 0 2000 0
case_qemu raw_broke      pass      raw    incomplete 0 0 3 0 40 30 30 0 0
case_qemu raw_qemu_error pass      raw    incomplete 1 2 0 0 40 30 30 0 0
case_qemu raw_none_fired "fail: no raw call fired" raw incomplete 0 0 3 0 0 0 0 0 0
case_qemu raw_not_cleared "fail: no raw call's SEAMRET cleared a VMCS" raw incomplete 0 0 3 0 40 30 0 0 0
case_qemu raw_survived   "fail: the guest and QEMU survived calls without the VMCLEAR" raw done 0 0 0 0 40 30 30 0 0
case_qemu raw_no_reason  "fail: the guest or QEMU broke, but KVM reported no VMX failure" raw incomplete 0 0 0 0 40 30 30 0 0

echo "check-harness: $(($(now) - t0)) s"
tap_close
