#!/bin/sh
# kunit-rerun.sh: run the series' KUnit suite again through debugfs, with
# kvm_intel loaded and holding the VMCLEAR callback slot.  The tests that
# take the slot, flip the bug bit or run the update flow must skip (they
# run only while the kernel boots); the others must pass; none may fail.
# That the suite then left KVM's VMCLEAR on is shown by the next step,
# whose guests run through updates under the "all" reading.
suite=tdx_seamldr
dir=/sys/kernel/debug/kunit/$suite
[ -w $dir/run ] || { echo "FAIL: no $dir/run (CONFIG_KUNIT_DEBUGFS)"; exit 1; }
grep -q '^kvm_intel ' /proc/modules || { echo "FAIL: kvm_intel is not loaded"; exit 1; }
echo 1 >$dir/run || { echo "FAIL: writing $dir/run"; exit 1; }
cat $dir/results
pass=$(grep -c -E '^[[:space:]]+ok [0-9]+ [a-z0-9_]+$' $dir/results)
skip=$(grep -c -E '^[[:space:]]+ok [0-9]+ [a-z0-9_]+ # SKIP changes global state: runs only while the kernel boots$' $dir/results)
fail=$(grep -c -E '^[[:space:]]+not ok ' $dir/results)
echo "rerun with kvm_intel loaded: $pass passed, $skip skipped as boot-only, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ] && [ "$skip" -gt 0 ]
