#!/bin/sh
# tdx-host-check.sh [options] IMAGE: for whoever has a TDX host whose CPUs
# have X86_BUG_SEAMRET_INVD_VMCS, booted on a kernel with this series (see
# README.md, "On a TDX host").  As root, it checks the prerequisites, runs
# the KVM selftest seamldr_vmcs_test with '-u IMAGE' (guests keep running
# and are checked while the TDX module is updated from IMAGE), and writes a
# report: kernel and CPU, the versions before and after, the selftest's
# TAP, and what the kernel logged meanwhile.  Exit 0 only if every
# prerequisite holds and the selftest passed.
#
# Not run by this project: no TDX hardware was available.  make check
# dry-runs it against a fake /sys and /proc (scripts/check-harness.sh).
#
#   --selftest PATH  the seamldr_vmcs_test binary (default: the one built
#                    in build/linux/tools/testing/selftests/kvm)
#   --report FILE    where the report goes (default build/out/tdx-host-report.txt)
#   --updates N      updates to make under the guests (default 1; each uses
#                    up one of num_remaining_updates)
#   --root DIR       read /sys, /proc and /dev under DIR (dry runs)
#   --dmesg CMD      how to read the kernel log (default: dmesg)
#   --same-version   the image is the running module's version: don't
#                    require the version to change
#
# PASS needs, besides the selftest's exit 0: the module version changed
# (unless --same-version), num_remaining_updates went down by exactly the
# updates made, and the kernel log meanwhile has no splat.
. "$(dirname "$0")/../scripts/lib.sh"
selftest=$tree/tools/testing/selftests/kvm/x86/seamldr_vmcs_test
report=$out/tdx-host-report.txt
updates=1 root='' dmesg_cmd=dmesg image='' same=''
while [ $# -gt 0 ]; do
	case $1 in
	--selftest) selftest=$2; shift ;;
	--report) report=$2; shift ;;
	--updates) updates=$2; shift ;;
	--root) root=$2; shift ;;
	--dmesg) dmesg_cmd=$2; shift ;;
	--same-version) same=1 ;;
	-*) die "unknown option $1 (see the header of $0)" ;;
	*) image=$1 ;;
	esac
	shift
done
[ -n "$image" ] || die "usage: tdx-host-check.sh [options] IMAGE (see the header of $0)"
case $updates in '' | *[!0-9]* | 0) die "--updates wants a positive number" ;; esac

fw=$root/sys/class/firmware/tdx_module
host=$root/sys/devices/faux/tdx_host
mkdir -p "$(dirname "$report")"
: >"$report" || die "can't write $report"
say() { echo "$*" | tee -a "$report"; }
ver() { cat "$1" 2>/dev/null || echo "(unreadable)"; }
klog() { sh -c "$dmesg_cmd" 2>/dev/null; }

say "# TDX module update under live guests: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "kernel: $(cat "$root/proc/sys/kernel/osrelease" 2>/dev/null || uname -r)"
say "cpu: $(sed -n 's/^model name[[:space:]]*: //p' "$root/proc/cpuinfo" | head -1)"

# --- prerequisites -----------------------------------------------------------
bad=0
need() {	# need OK DESCRIPTION [HINT]
	if [ "$1" = 0 ]; then say "ok: $2"
	else say "MISSING: $2${3:+ ($3)}"; bad=$((bad + 1)); fi
}
grep -q '^bugs.*\bseamret_invd_vmcs\b' "$root/proc/cpuinfo"
need $? "the CPU has X86_BUG_SEAMRET_INVD_VMCS (/proc/cpuinfo bugs: seamret_invd_vmcs)" \
	"on an unaffected CPU the series changes nothing: run the selftest by hand if you want the update test alone"
[ -d "$root/sys/module/kvm_intel" ] && [ -c "$root/dev/kvm" ]
need $? "kvm_intel is loaded and /dev/kvm exists" "modprobe kvm_intel"
[ -d "$root/sys/module/tdx_host" ]
need $? "tdx_host is loaded" "modprobe tdx-host"
[ -w "$fw/loading" ] && [ -w "$fw/data" ] && [ -r "$fw/status" ] && [ -r "$fw/error" ]
need $? "the runtime update ABI is visible: ${fw#"$root"}" \
	"Linux 7.3 without this series hides it on these CPUs; or the TDX module doesn't support runtime update"
[ -r "$host/seamldr_version" ] && [ -r "$host/num_remaining_updates" ] && [ -r "$host/version" ]
need $? "the tdx_host attributes are readable: ${host#"$root"}/{version,seamldr_version,num_remaining_updates}"
left=$(cat "$host/num_remaining_updates" 2>/dev/null)
[ -n "$left" ] && [ "$left" -ge "$updates" ] 2>/dev/null
need $? "num_remaining_updates ($left) allows $updates update(s)" "the update log is full until the next reboot"
[ -r "$image" ]
need $? "the module image $image is readable"
[ -x "$selftest" ]
need $? "the selftest $selftest exists" "make -C build/linux/tools/testing/selftests/kvm, or --selftest PATH"
if [ "$bad" != 0 ]; then
	say "result: $bad prerequisite(s) missing; nothing was updated"
	echo "report: $report"
	exit 1
fi

# --- the update under live guests ------------------------------------------
before_mod=$(ver "$host/version") before_ldr=$(ver "$host/seamldr_version") before_left=$left
say "before: TDX module $before_mod, P-SEAMLDR $before_ldr, $before_left update(s) left"
klog >"$report.dmesg-before"
say "running: $selftest -u $image -n $updates -o $report.progress"
"$selftest" -u "$image" -n "$updates" -o "$report.progress" >"$report.tap" 2>&1
rc=$?
sed 's/^/  | /' "$report.tap" >>"$report"
after_mod=$(ver "$host/version") after_ldr=$(ver "$host/seamldr_version") after_left=$(ver "$host/num_remaining_updates")
say "after: TDX module $after_mod, P-SEAMLDR $after_ldr, $after_left update(s) left"
say "kernel log meanwhile (TDX, P-SEAMLDR, KVM lines and splats):"
klog | grep -vxF -f "$report.dmesg-before" >"$report.dmesg-during"
grep -E -i "tdx|seamldr|kvm|$splat" "$report.dmesg-during" | tail -40 | sed 's/^/  | /' | tee -a "$report"
splats=$(grep -c -E "$splat" "$report.dmesg-during" || true)
rm -f "$report.dmesg-before" "$report.dmesg-during"
why=
[ "$rc" = 0 ] || why="the selftest exited $rc"
[ -n "$why" ] || [ -n "$same" ] || [ "$after_mod" != "$before_mod" ] ||
	why="the TDX module version did not change ($before_mod; --same-version if that is right)"
[ -n "$why" ] || [ "$after_left" = $((before_left - updates)) ] 2>/dev/null ||
	why="num_remaining_updates went from $before_left to $after_left, not down by $updates"
[ -n "$why" ] || [ "$splats" = 0 ] || why="the kernel log has $splats splat line(s) from the update"
if [ -z "$why" ]; then
	say "result: PASS: $updates update(s) from $image with guests running and checked"
elif [ "$rc" = 4 ]; then
	say "result: SKIP: the selftest did not run (see its output above)"
else
	say "result: FAIL: $why"
	[ "$rc" != 0 ] || rc=1
fi
echo "report: $report"
exit $rc
