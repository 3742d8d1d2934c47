#!/bin/sh
# Stage build: kbuild.sh NAME SRC OUT TARGETS -- FRAGMENT...
#              kbuild.sh e2e      (the e2e kernel of SANITIZE and DESIGN:
#                                  build/out/e2e, e2e-san, e2e-DESIGN...)
# Out-of-tree kernel build of SRC into OUT: tinyconfig, plus the fragments
# (merge_config.sh), olddefconfig, then a check that every option of the
# fragments stuck.  The config is remade only when a fragment or SRC's
# commit changes, so rebuilds are incremental.  One progress line per
# step; the full log stays in OUT/build.log.  On success OUT/.built holds
# SRC's commit and the fragments' sum, which boot.sh compares with the
# tree it is asked to boot.
. "$(dirname "$0")/../scripts/lib.sh"
set -e
if [ $# = 1 ] && [ "$1" = e2e ]; then
	# the kernel of the SANITIZE and DESIGN knobs (lib.sh: e2e_kernel)
	SANITIZE=${SANITIZE:-0} PLAN=-
	e2e_kernel
	# shellcheck disable=SC2086 # one fragment a word
	set -- "$kernel" "$tree" "$kout" "bzImage modules" -- $frags
fi
name=$1 src=$2 dst=$3 targets=$4
shift 4
[ "${1:-}" = -- ] && shift
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=seamldr KBUILD_BUILD_HOST=vmcs
mkdir -p "$dst"
dst=$(cd "$dst" && pwd)
log=$dst/build.log
t0=$(now)
kmake() { make -C "$src" O="$dst" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }
fail() {
	echo "build $name: FAILED in $1 ($(($(now) - t0)) s); full log: ${log#"$top"/}" >&2
	grep -E '(error|Error|warning):' "$log" | head -20 >&2 || tail -20 "$log" >&2
	exit 1
}

# The config depends on the fragments and on the Kconfig files, which
# patches change: remake it when either does (unchanged values rebuild
# nothing).
rev=$(git -C "$src" rev-parse -q HEAD 2>/dev/null || echo none)
dirty=$(git -C "$src" status --porcelain -uno 2>/dev/null | grep -c . || true)
sum=$( (cat "$@"; echo "$rev") | sha256sum | cut -d' ' -f1)
rm -f "$dst/.built"
if [ ! -f "$dst/.config" ] || [ "$(cat "$dst/.fragments" 2>/dev/null)" != "$sum" ]; then
	: >"$log"
	kmake tinyconfig >>"$log" 2>&1 || fail tinyconfig
	KCONFIG_CONFIG="$dst/.config" "$src/scripts/kconfig/merge_config.sh" -m -O "$dst" \
		"$dst/.config" "$@" >>"$log" 2>&1 || fail merge_config
	kmake olddefconfig >>"$log" 2>&1 || fail olddefconfig
	bad=$(unstuck_options "$dst/.config" "$src" "$@")
	if [ -n "$bad" ]; then
		echo "build $name: options that did not stick (missing dependency?):" >&2
		echo "$bad" >&2
		exit 1
	fi
	echo "$sum" >"$dst/.fragments"
	echo "build $name: config ready ($(($(now) - t0)) s)"
fi
t1=$(now)
echo "build $name: make $targets (-j$jobs, log ${log#"$top"/})"
# shellcheck disable=SC2086 # one target a word
kmake -j"$jobs" $targets >>"$log" 2>&1 || fail "make $targets"
# A build of uncommitted edits is not the commit: say so in the stamp.
[ "$dirty" = 0 ] || rev="$rev+dirty"
echo "$rev $sum" >"$dst/.built"
echo "build $name: done in $(($(now) - t1)) s (total $(($(now) - t0)) s)"
