# lib.sh: what every script of the harness needs.  Sourced, never run:
#   . "$(dirname "$0")/../scripts/lib.sh"
# from a script one directory below the repo root (scripts/, model/).
#
# Knobs (PLAN, CALLS, ...) are not set here: each has one default, in the
# Makefile, which passes it on explicitly.  A script that needs a knob
# calls 'knob NAME' and stops if make didn't pass it.
set -u

prog=${0##*/}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/out		# every build product and run
tapdir=$top/build/tap		# one TAP file per test layer, counted by tally.sh

die() { echo "$prog: $*" >&2; exit 1; }
knob() { for k; do eval "[ -n \"\${$k:-}\" ]" || die "$k is not set (run me through make)"; done; }
now() { date +%s; }
# svg_head OUT TITLE: the first lines of a gnuplot script that draws the
# SVG OUT (soak.sh, bench.sh), so that the pictures look alike.
svg_head() {
	printf '%s\n' 'set terminal svg size 1000,560 dynamic font "sans,11" background rgb "white"' \
		'set termoption noenhanced' "set output \"$1\"" "set title \"$2\""
}

# Downloads and the compiler cache live outside the repo, so that a fresh
# clone (as CI makes) reuses them.  SEAMLDR_CACHE moves the whole cache.
cache=${SEAMLDR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seamldr-vmcs}
export CCACHE_DIR="$cache/ccache"
# Paths under the repo are hashed relative to it, so that a clone in
# another folder hits the same cache entries.
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=10G
jobs=$(($(nproc) + 1))

# The kernel tree (base + patches) and the unpacked base.
tree=$top/build/linux
base_tree=$top/build/base/linux

# Config fragments, merged onto tinyconfig by kbuild.sh.  The e2e kernel
# (also what series-check builds at every patch) has the series' test
# options; hotpath-check compares base and series without them, since the
# base doesn't have them.
frags_common="$top/configs/base.config $top/configs/e2e.config"
frags_e2e="$frags_common $top/configs/series-test.config"
frags_e2e_san="$frags_e2e $top/configs/sanitizers.config"

# The kernel a Bochs run boots, from the SANITIZE and DESIGN knobs: e2e, or
# e2e-san (KASAN, KFENCE, UBSAN), each built into build/out/KERNEL from its
# fragments; a run of plan PLAN goes to build/out/run-PLAN, or
# build/out/run-PLAN-san.  DESIGN=series (the default) is build/linux, the
# posting and the test kit.  Any other DESIGN is a design kernel:
# designs/DESIGN.series applied on the base (scripts/design.sh), checked
# out in the one worktree build/designs/tree (so that designs share the
# compiler cache), configured with the common fragments and
# designs/DESIGN.config; its kernel, selftests and runs get "-DESIGN"
# appended.  Call after 'knob SANITIZE PLAN'.
e2e_kernel() {
	case $SANITIZE in
	0) kernel=e2e frags=$frags_e2e run=$out/run-$PLAN san= ;;
	1) kernel=e2e-san frags=$frags_e2e_san run=$out/run-$PLAN-san san=$top/configs/sanitizers.config ;;
	*) die "SANITIZE is 0 or 1, not '$SANITIZE'" ;;
	esac
	design=${DESIGN:-series}
	st=$out/selftests
	if [ "$design" != series ]; then
		[ -f "$top/designs/$design.series" ] || die "no design '$design' (designs/$design.series)"
		tree=$top/build/designs/tree
		kernel=$kernel-$design run=$run-$design st=$out/selftests-$design
		frags="$frags_common $san"
		[ -f "$top/designs/$design.config" ] && frags="$frags $top/designs/$design.config"
	fi
	kout=$out/$kernel
}

# The patch queues, applied in this order on the base: the posting, i.e.
# the KVM fixes (patches/fixes, for stable) and the feature on top
# (patches/feature), then the test kit (testkit: test aids, not for
# merging, which only the harness applies).  Each directory holds a cover
# letter, 0000-cover-letter.patch, and NNNN-*.patch.  In build/linux an
# empty commit whose subject is 'marker QUEUE' ends each queue but the last.
queues="patches/fixes patches/feature testkit"
queue() { ls "$top/$1"/[0-9]*.patch 2>/dev/null | grep -v '/0000-' || true; }
marker() { echo "seamldr-vmcs: end of $1"; }
posting() { queue patches/fixes; queue patches/feature; }
series() { for q in $queues; do queue "$q"; done; }

# A kernel splat on the console: WARN, BUG, Oops, lockdep / RCU / might_sleep
# reports (which start with WARNING:, BUG: or INFO:), and KVM's failed VMX
# instructions.  Only kernel lines are judged: they carry a printk time
# stamp, which base64 and userspace output never contain.
splat='WARNING:|BUG:|INFO: |Oops|Kernel panic|Call Trace:|general protection fault|(vmread|vmwrite|vmclear|vmptrld|invept|invvpid) failed'
kernel_lines() { grep -E '\[ *[0-9]+\.[0-9]{6}\] ' "$@"; }

# checkpatch_verdict RC REPORT: whether checkpatch --strict --terse passed
# a patch: exit status 0 and no report at all (an ERROR, WARNING or CHECK
# fails it).  For series-check; check-harness judges it on recorded cases.
checkpatch_verdict() {
	[ "$1" = 0 ] && ! printf '%s\n' "$2" | grep -q -E 'ERROR|WARNING|CHECK'
}

# TAP, one file per layer: tap_open NAME [FILE]; ok/not_ok DESC; diag <TEXT;
# tap_close prints the plan and 'NAME: N passed, N failed' and fails if
# any test did.  A layer that dies before tap_close leaves a file
# without a plan, which tally.sh counts as a failure.
tap_open() {
	tap_name=$1 tap_n=0 tap_pass=0 tap_fail=0
	tap_file=${2:-$tapdir/$1.tap}
	mkdir -p "$(dirname "$tap_file")"
	echo "TAP version 13" >"$tap_file"
}
tap_line() { echo "$*"; echo "$*" >>"$tap_file"; }
ok() { tap_n=$((tap_n + 1)) tap_pass=$((tap_pass + 1)); tap_line "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)) tap_fail=$((tap_fail + 1)); tap_line "not ok $tap_n - $*"; }
diag() { sed 's/^/# /' | while IFS= read -r l; do tap_line "$l"; done; }
tap_close() {
	tap_line "1..$tap_n"
	echo "$tap_name: $tap_pass passed, $tap_fail failed"
	[ "$tap_fail" = 0 ] && [ "$tap_n" -gt 0 ]
}

# unstuck_options DOTCONFIG SRC FRAGMENT...: the options of the fragments
# whose last setting (merge_config.sh: a later fragment overrides an
# earlier one) DOTCONFIG lacks, one a line, with why; nothing if all stuck.
# A symbol no Kconfig of SRC defines is fine to miss if a later patch adds
# it, i.e. a Kconfig at the tip of SRC's branch master defines it; if none
# does, it is a typo.  kbuild.sh uses it; check-harness judges it.
unstuck_options() {
	uo_conf=$1 uo_src=$2
	shift 2
	cat "$@" | grep -E '^(CONFIG_|# CONFIG_)' |
		awk '{ o = $0; sub(/^# /, "", o); sub(/[= ].*/, "", o); last[o] = $0; at[o] = NR }
		END { for (o in last) print at[o] "\t" last[o] }' | sort -n | cut -f2- | while read -r l; do
		case $l in
		"# CONFIG_"*) o=${l#"# "}; o=${o%% *}
			if grep -q "^$o=" "$uo_conf"; then echo "  $l (but it is set)"; fi ;;
		*) o=${l%%=*}
			if grep -qxF "$l" "$uo_conf"; then
				:
			elif grep -rqxE --include="Kconfig*" "(menu)?config ${o#CONFIG_}" "$uo_src"; then
				echo "  $l (got: $(grep -E "^(# )?$o[= ]" "$uo_conf" || echo unset))"
			elif ! git -C "$uo_src" grep -q -E "^(menu)?config ${o#CONFIG_}$" master -- \
				'*Kconfig*' 2>/dev/null; then
				echo "  $l (no Kconfig defines ${o#CONFIG_})"
			fi ;;
		esac
	done
}

# docs_verdict FAILED BASE.warn SERIES.warn: docs-check's judge for one
# directory: fails (printing why) if the build with the posting failed
# (FAILED non-empty), or its warnings include one the base doesn't have.
# An error line both sides share cancels out only as a warning would: a
# failed build fails whatever the base did.
docs_verdict() {
	if [ -n "$1" ]; then
		echo "the build with the posting failed"
		return 1
	fi
	dv_new=$(comm -13 "$2" "$3")
	[ -z "$dv_new" ] && return 0
	echo "the posting adds warnings:"
	echo "$dv_new"
	return 1
}
