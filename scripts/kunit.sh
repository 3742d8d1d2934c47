#!/bin/sh
# Layer kunit: kunit.sh [TAP JSON]          (kunit-mutants: elsewhere)
#              kunit.sh --judge JSON SOURCE TAP LOG   (check-harness: judge only)
# kunit.py run --arch=x86_64 with kunit/.kunitconfig in build/linux,
# building into build/out/kunit (kunit.py wants a clean source tree), for
# the series' suite only, under QEMU with TCG: kunit.py asks QEMU for
# '-accel kvm' first, and a paravirtual /dev/kvm (as on our CI hosts) makes
# QEMU hang there, so a wrapper first in PATH drops that option.  kunit.py
# writes its results as JSON (default build/out/kunit.json), and every test
# case of the suite's source must be there and PASS: a skip proves
# nothing.  kunit.py doesn't read the kernel log for splats; this does: a
# WARN or a lockdep report while the suite ran fails it too (the tests
# suppress the WARNs they provoke).  TAP: build/tap/kunit.tap, or TAP.
. "$(dirname "$0")/../scripts/lib.sh"
suite=tdx_seamldr

# judge JSON SOURCE TAP LOG: every case of kunit/cases.txt ran and passed,
# SOURCE has exactly those KUNIT_CASEs, and the kernel log LOG of the run
# has no splat.
judge() {
	tap_open kunit "$3"
	want=$(grep -v '^#' "$top/kunit/cases.txt")
	have=$(grep -o 'KUNIT_CASE([a-z0-9_]*)' "$2" | sed 's/KUNIT_CASE(\(.*\))/\1/')
	if [ "$have" = "$want" ]; then
		ok "${2##*/} has the $(echo "$want" | grep -c .) cases of kunit/cases.txt"
	else
		not_ok "${2##*/} has the cases of kunit/cases.txt"
		{ echo "kunit/cases.txt:" $want; echo "${2##*/}:" $have; } | diag
	fi
	res=$(jq -r '.. | objects | select(has("test_cases")) | .name as $s |
		.test_cases[] | "\($s) \(.name) \(.status)"' "$1" 2>/dev/null)
	[ -n "$res" ] || not_ok "kunit.py's results ($1) hold test cases"
	for tc in $want; do
		st=$(echo "$res" | awk -v s="$suite" -v t="$tc" '$1 == s && $2 == t { print $3 }')
		case $st in
		PASS) ok "$suite.$tc" ;;
		"") not_ok "$suite.$tc: did not run" ;;
		*) not_ok "$suite.$tc: $st" ;;
		esac
	done
	n=$(echo "$res" | grep -c .)
	[ "$n" = "$(echo "$want" | grep -c .)" ] ||
		not_ok "kunit.py ran $n test cases; kunit/cases.txt has $(echo "$want" | grep -c .)"
	if [ ! -s "$4" ]; then
		not_ok "the kernel log of the run (${4##*/}) is there"
	elif grep -q -E "$splat" "$4"; then
		not_ok "no kernel splat while the suite ran"
		grep -E "$splat" "$4" | head -5 | diag
	else
		ok "no kernel splat while the suite ran"
	fi
	tap_close
}
if [ "${1:-}" = --judge ]; then
	judge "$2" "$3" "$4" "$5"
	exit
fi

tap=${1:-$tapdir/kunit.tap} json=${2:-$out/kunit.json}
src=arch/x86/virt/vmx/tdx/seamldr_test.c
kout=$out/kunit log=$out/kunit.log bin=$out/kunit-bin
mkdir -p "$kout" "$bin"
t0=$(now)

cat >"$bin/qemu-system-x86_64" <<'WRAP'
#!/bin/sh
# QEMU without '-accel kvm' or '-accel hvf': TCG only (scripts/kunit.sh).
skip=
for a; do
	shift
	if [ -n "$skip" ]; then skip=; [ "$a" = tcg ] && set -- "$@" -accel tcg; continue; fi
	[ "$a" = -accel ] && { skip=1; continue; }
	set -- "$@" "$a"
done
exec /usr/bin/qemu-system-x86_64 "$@"
WRAP
chmod +x "$bin/qemu-system-x86_64"

rm -f "$json" "$kout/test.log"
echo "kunit: building and booting under QEMU (TCG); log ${log#"$top"/}"
(cd "$tree" && PATH="$bin:$PATH" python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$top/kunit/.kunitconfig" --build_dir="$kout" --jobs="$jobs" \
	--timeout=600 --make_options='CC=ccache gcc' --make_options='HOSTCC=ccache gcc' \
	--qemu_args='-smp 2' --json="$json" "$suite") >"$log" 2>&1
rc=$?

[ -s "$json" ] || { grep -E 'error|ERROR|Error' "$log" | head -20; echo "{}" >"$json"; }
echo "kunit: $(($(now) - t0)) s (kunit.py exit $rc)"
judge "$json" "$tree/$src" "$tap" "$kout/test.log"
