#!/bin/sh
# kunit-at-boot.sh: the series' KUnit suite ran at boot in this kernel, on
# this (emulated) VMX machine with kvm-intel not yet loaded, and every case
# of it passed: none failed, skipped or missing.  /e2e/kunit.cases lists
# the suite's KUNIT_CASEs, taken from its source by scripts/initramfs.sh.
suite=tdx_seamldr
dmesg | sed 's/^\[[ 0-9.]*\] //' >/tmp/kunit.log
sed -n "/# Subtest: $suite\$/,/^ok [0-9]* $suite/p" /tmp/kunit.log >/tmp/kunit.suite
cat /tmp/kunit.suite
rc=0
[ -s /tmp/kunit.suite ] || { echo "FAIL: no KTAP output of $suite in the kernel log"; exit 1; }
grep -q -E "^ok [0-9]+ $suite\$" /tmp/kunit.suite || { echo "FAIL: the suite did not pass"; rc=1; }
n=0
while read -r c; do
	n=$((n + 1))
	grep -q -E "^[[:space:]]+ok [0-9]+ $c\$" /tmp/kunit.suite || { echo "FAIL: $c did not pass"; rc=1; }
done </e2e/kunit.cases
[ "$n" -gt 0 ] || { echo "FAIL: no test cases listed"; rc=1; }
echo "$n test cases of $suite passed at boot"
exit $rc
