#!/bin/sh
# Layer hotpath-check: the posting must not touch KVM's hot paths.  Build
# vmx.o and vmenter.o from the base and from the posting's end (build/linux
# at its marker commit after patches/feature, in a worktree) with the same
# config, base.config + e2e.config (the e2e kernel without
# series-test.config, whose options only the series has; so with
# KVM_INTEL_PROVE_VMCS off, as a distribution would build it), disassemble
# the hot functions and compare them instruction by instruction, with
# addresses and call/jump displacements replaced by symbol names (the
# objects are laid out differently), and in size.  TAP, one line per
# function: build/tap/hotpath-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
funcs="vmx_vcpu_load_vmcs vmx_vcpu_run __vmx_vcpu_run"
objs="arch/x86/kvm/vmx/vmx.o arch/x86/kvm/vmx/vmenter.o"
end=$(git -C "$tree" log --format='%H %s' base..HEAD |
	awk -v s="$(marker patches/feature)" 'substr($0, 42) == s { print $1 }')
[ -n "$end" ] || die "no marker '$(marker patches/feature)' in build/linux"
wt=$out/hot-tree
if [ "$(git -C "$wt" rev-parse HEAD 2>/dev/null)" != "$end" ]; then
	git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1
	rm -rf "$wt"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$wt" "$end" || die "git worktree add FAILED"
fi
for side in base series; do
	[ $side = base ] && src=$base_tree || src=$wt
	# shellcheck disable=SC2086 # one fragment a word
	"$top/scripts/kbuild.sh" hot-$side "$src" "$out/hot-$side" "$objs" -- $frags_common ||
		die "building the $side objects FAILED"
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
			-e 's/(R_X86_64_[A-Z0-9]+[[:space:]]+(\.[a-z0-9_.]+|__bug_table|__ex_table|__jump_table))[+-]0x[0-9a-f]+/\1/' | grep .
}
# Relocations against section symbols (.rodata.str1.1+0x55, .text+0x10,
# __bug_table+0x79c) point into pools whose layout shifts when anything
# else in the object changes, e.g. a WARN added in another function; their
# offsets are dropped.  Offsets from named symbols (struct fields, per-CPU
# variables) are kept.
size() {	# size OBJ FUNC: bytes, from the symbol table
	v=$(nm -S "$1" | awk -v f="$2" '$4 == f { print $2 }' | head -1)
	echo $((0x${v:-0}))
}
tap_open hotpath-check
printf '%-22s %10s %10s %12s\n' function "base B" "series B" "insns diff"
for f in $funcs; do
	obj=arch/x86/kvm/vmx/vmx.o
	case $f in __vmx_vcpu_run) obj=arch/x86/kvm/vmx/vmenter.o ;; esac
	b=$out/hot-base/$obj s=$out/hot-series/$obj
	norm "$b" "$f" >"$out/hot-$f.base"
	norm "$s" "$f" >"$out/hot-$f.series"
	if [ ! -s "$out/hot-$f.base" ] || [ ! -s "$out/hot-$f.series" ]; then
		not_ok "$f: found in $obj"
		continue
	fi
	d=$(diff "$out/hot-$f.base" "$out/hot-$f.series" | grep -c '^[<>]' || true)
	bs=$(size "$b" "$f") ss=$(size "$s" "$f")
	printf '%-22s %10s %10s %12s\n' "$f" "$bs" "$ss" "$d"
	if [ "$d" = 0 ] && [ "$bs" = "$ss" ]; then
		ok "$f: identical with and without the series ($bs bytes)"
	else
		not_ok "$f: $d instructions differ, $bs -> $ss bytes"
		diff "$out/hot-$f.base" "$out/hot-$f.series" | head -20 | diag
	fi
done
tap_close
