#!/bin/sh
# make hotpath-check: the series must not touch KVM's hot paths.  Build
# vmx.o and vmenter.o from the base and from the series head with the same
# config (the e2e config, without debug options), disassemble the hot
# functions and compare them instruction by instruction, with addresses
# and call/jump displacements replaced by symbol names (the objects are
# laid out differently).  Prints the differences; 0 and 0 is the goal.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
funcs=${HOTPATH_FUNCS:-"vmx_vcpu_load_vmcs vmx_vcpu_run __vmx_vcpu_run"}
objs="arch/x86/kvm/vmx/vmx.o arch/x86/kvm/vmx/vmenter.o"
frags="$top/configs/base.config $top/configs/e2e.config"
for side in base series; do
	[ $side = base ] && src=$top/build/base/linux || src=$top/build/linux
	# shellcheck disable=SC2086
	"$top/scripts/kbuild.sh" hot-$side "$src" "$top/build/out/hot-$side" "$objs" -- $frags
done
norm() {	# norm OBJ FUNC: the function's instructions, position-independent
	# objdump -r goes on printing the section's relocations past the
	# function: keep only lines whose offset lies inside it.
	end=$(nm -S "$1" | awk -v f="$2" '$4 == f { print $1, $2 }' | head -1)
	objdump -dr --no-show-raw-insn --disassemble="$2" "$1" |
		sed -n "/^[0-9a-f]* <$2>:/,/^\$/p" | sed 1d |
		awk -v r="$end" 'BEGIN { split(r, a, " "); lo = hex(a[1]); hi = lo + hex(a[2]) }
			function hex(x,  i, n, c) { n = 0; x = tolower(x)
				for (i = 1; i <= length(x); i++) { c = index("0123456789abcdef", substr(x, i, 1)) - 1; n = n * 16 + c }
				return n }
			{ o = $1; sub(/:$/, "", o) }
			o ~ /^[0-9a-f]+$/ && (hex(o) < lo || hex(o) >= hi) { next }
			{ print }' |
		sed -E -e 's/^ *[0-9a-f]+:\t//' -e 's/^[[:space:]]*[0-9a-f]+: (R_X86)/\1/' \
			-e 's/[0-9a-f]+ <([^>]+)>/<\1>/g' -e 's/[[:space:]]+$//' \
			-e 's/(R_X86_64_[A-Z0-9]+[[:space:]]+\.[a-z0-9_.]+)[+-]0x[0-9a-f]+/\1/' | grep .
}
# Relocations against section symbols (.rodata.str1.1+0x55, .text+0x10)
# point into pools whose layout shifts when anything else in the object
# changes; their offsets are dropped.  Offsets from named symbols (struct
# fields, per-CPU variables) are kept.
size() {	# size OBJ FUNC: bytes, from the symbol table
	v=$(nm -S "$1" | awk -v f="$2" '$4 == f { print $2 }' | head -1)
	echo $((0x${v:-0}))
}
mkdir -p "$top/build/out"
total=0
printf '%-22s %10s %10s %12s\n' function "base B" "series B" "insns diff"
for f in $funcs; do
	obj=arch/x86/kvm/vmx/vmx.o
	case $f in __vmx_vcpu_run) obj=arch/x86/kvm/vmx/vmenter.o ;; esac
	b=$top/build/out/hot-base/$obj s=$top/build/out/hot-series/$obj
	norm "$b" "$f" >"$top/build/out/hot-$f.base"
	norm "$s" "$f" >"$top/build/out/hot-$f.series"
	[ -s "$top/build/out/hot-$f.base" ] || { echo "hotpath-check: $f not found in $obj" >&2; exit 1; }
	d=$(diff "$top/build/out/hot-$f.base" "$top/build/out/hot-$f.series" | grep -c '^[<>]' || true)
	bs=$(size "$b" "$f") ss=$(size "$s" "$f")
	printf '%-22s %10s %10s %12s\n' "$f" "$bs" "$ss" "$d"
	total=$((total + d + (ss > bs ? ss - bs : bs - ss)))
done
echo "hotpath-check: byte difference + instruction difference = $total"
[ "$total" = 0 ] && echo "hotpath-check: 1 passed, 0 failed" || { echo "hotpath-check: 0 passed, 1 failed"; exit 1; }
