#!/bin/sh
# Stage 3, build: kbuild.sh NAME SRC OUT TARGETS -- FRAGMENT...
# Out-of-tree kernel build of SRC into OUT: tinyconfig, plus the fragments
# (merge_config.sh), olddefconfig, then a check that every option of the
# fragments stuck.  The config is remade only when a fragment changes, so
# rebuilds are incremental.  One progress line per stage; the full log
# stays in OUT/build.log.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 src=$2 out=$3 targets=$4
shift 4
[ "${1:-}" = -- ] && shift
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/seamldr-vmcs/ccache}
# Paths under the repo are hashed relative to the build directory, so a
# clone in another folder (CI) hits the same cache entries.
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=seamldr KBUILD_BUILD_HOST=vmcs
jobs=${JOBS:-$(($(nproc) + 1))}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/build.log
t0=$(date +%s)
kmake() { make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }
fail() {
	echo "build $name: FAILED in $1 ($(($(date +%s) - t0)) s); full log: ${log#"$top"/}" >&2
	grep -E '(error|Error|warning):' "$log" | head -20 >&2 || tail -20 "$log" >&2
	exit 1
}

# The config depends on the fragments and on the Kconfig files, which
# patches change: remake it when either does (unchanged values rebuild
# nothing).
rev=$(git -C "$src" rev-parse -q HEAD 2>/dev/null || echo none)
sum=$( (cat "$@"; echo "$rev") | sha256sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.fragments" 2>/dev/null)" != "$sum" ]; then
	: >"$log"
	kmake tinyconfig >>"$log" 2>&1 || fail tinyconfig
	KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
		"$out/.config" "$@" >>"$log" 2>&1 || fail merge_config
	kmake olddefconfig >>"$log" 2>&1 || fail olddefconfig
	bad=$(cat "$@" | grep -E '^(CONFIG_|# CONFIG_)' | while read -r l; do
		case $l in
		"# CONFIG_"*) o=${l#"# "}; o=${o%% *}
			grep -q "^$o=" "$out/.config" && echo "  $l (but it is set)" ;;
		*) o=${l%%=*}
			# A symbol a later patch adds is fine to miss before it.
			grep -qxF "$l" "$out/.config" ||
			! grep -rqx --include="Kconfig*" "config ${o#CONFIG_}" "$src" ||
			echo "  $l (got: $(grep -E "^(# )?$o[= ]" "$out/.config" || echo unset))" ;;
		esac
	done)
	if [ -n "$bad" ]; then
		echo "build $name: options that did not stick (missing dependency?):" >&2
		echo "$bad" >&2
		exit 1
	fi
	echo "$sum" >"$out/.fragments"
	echo "build $name: config ready ($(($(date +%s) - t0)) s)"
fi
t1=$(date +%s)
echo "build $name: make $targets (-j$jobs, log ${log#"$top"/})"
# shellcheck disable=SC2086
kmake -j"$jobs" $targets ${KBUILD_EXTRA:-} >>"$log" 2>&1 || fail "make $targets"
echo "build $name: done in $(($(date +%s) - t1)) s (total $(($(date +%s) - t0)) s)"
