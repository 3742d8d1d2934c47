#!/bin/sh
# emulator/selftest/run.sh [--lie]: self-test of the patched Bochs CPU.
# Builds the emulator (scripts/emulator.sh), a small kernel from the
# pristine base (build/base/linux, out of tree), the test module
# seamemu_test.ko and a busybox initramfs; boots it on 2 CPUs with
# "seamret=current seamldr_updates=16"; the module runs every check under
# all four SEAMRET readings and prints TAP, which /init copies to the
# console.  Exits 0 only if every check passed AND Bochs's exit lines
# show the counts this test makes (EXPECT below).
#   --lie   the negative control: the module sets reading "none" whatever
#           it then expects (seamemu_test.ko lie=1); this run must fail.
# Knobs (environment): BOCHS (a bochs binary to use instead of building
# one), TIMEOUT (seconds, default 900).  Output: build/emulator/selftest/
# (serial.txt, bochs.log, bochs.out, selftest.tap).
. "$(dirname "$0")/../../scripts/lib.sh"
# lib.sh takes the repo root as the parent of the script's directory.
top=$(cd "$(dirname "$0")/../.." && pwd)
export CCACHE_BASEDIR="$top"
set -e

lie=0
case ${1:-} in
--lie) lie=1 ;;
'') ;;
*) die "usage: $prog [--lie]" ;;
esac
timeout=${TIMEOUT:-900}
src=$top/build/base/linux
kout=$top/build/emulator/selftest-kernel
mout=$top/build/emulator/selftest-module
run=$top/build/emulator/selftest
here=$top/emulator/selftest
frags="$top/configs/base.config $here/kernel.config"
kmake() { nice -n 10 make -C "$src" O="$kout" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

# What the module makes the CPU count with 2 CPUs (seamemu_test.c):
#  per reading and CPU: VMCLEAR x3, VMPTRLD x3, one SEAMLDR_INFO, VMCLEAR x3
#    -> over 4 readings vmptrld 12 vmclear 24 seamcall 4 seamret_current 4
#       seamret_active 12 (V1 V2 S each time) seamret_cleared 0+0+2+3 = 5
#  cpu0: 6 more P-SEAMLDR calls (INSTALL good/bad/bad/no slot, INFO
#    misaligned, unknown leaf); I3 test: VMCLEAR + VMPTRLD of X
#  cpu1: I3 test: VMPTRLD of X (one violation) + VMCLEAR
#  platform: the reading is back to the boot one; one INSTALL used a slot
EXPECT="seamemu: cpu0 vmptrld=13 vmclear=25 vmlaunch=0 vmresume=0 vmentry=0 seamcall=14 seamret_current=4 seamret_active=12 seamret_cleared=5 i3=0 active=0 found_current=4 found_active=12
seamemu: cpu1 vmptrld=13 vmclear=25 vmlaunch=0 vmresume=0 vmentry=0 seamcall=8 seamret_current=4 seamret_active=12 seamret_cleared=5 i3=1 active=0 found_current=4 found_active=12
seamemu: platform seamret=current seamret_boot=current updates_left=15 active=0"

# What the kernel build and the boot need: bookworm packages only.
missing=
for p in gcc make flex bison bc libelf-dev libssl-dev cpio ccache kmod \
	busybox-static bochsbios vgabios grub-pc-bin grub-common xorriso mtools; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "selftest: missing Debian packages; as root run:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	echo "selftest: installing$missing"
	# shellcheck disable=SC2086 # one package a word
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
		die "apt-get install failed for:$missing"
fi
[ -f "$src/Makefile" ] || die "no base tree in build/base/linux; run 'make base'"
t0=$(now)

# 1. The emulator.
if [ -n "${BOCHS:-}" ]; then
	bochs=$BOCHS
else
	sh "$top/scripts/emulator.sh"
	bochs=$top/build/emulator/bin/bochs
fi
[ -x "$bochs" ] || die "no bochs binary at $bochs"

# 2. The kernel: tinyconfig + fragments, remade when a fragment changes.
mkdir -p "$kout"
# shellcheck disable=SC2086 # one fragment a word
sum=$(cat $frags | sha256sum | cut -d' ' -f1)
if [ "$(cat "$kout/.fragments" 2>/dev/null)" != "$sum" ]; then
	echo "selftest: configuring the kernel (tinyconfig + base.config + kernel.config)"
	kmake tinyconfig >"$kout/config.log" 2>&1 || die "tinyconfig FAILED (build/emulator/selftest-kernel/config.log)"
	# shellcheck disable=SC2086
	KCONFIG_CONFIG="$kout/.config" "$src/scripts/kconfig/merge_config.sh" -m -O "$kout" \
		"$kout/.config" $frags >>"$kout/config.log" 2>&1 || die "merge_config FAILED"
	kmake olddefconfig >>"$kout/config.log" 2>&1 || die "olddefconfig FAILED"
	for o in CONFIG_MODULES CONFIG_KVM_INTEL CONFIG_IA32_FEAT_CTL CONFIG_X86_MSR; do
		grep -q "^$o=[ym]" "$kout/.config" || die "$o did not stick in the kernel config"
	done
	echo "$sum" >"$kout/.fragments"
fi
echo "selftest: building the kernel (build/emulator/selftest-kernel/build.log)"
kt=$(now)
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=seamldr KBUILD_BUILD_HOST=vmcs
kmake -j2 bzImage modules_prepare >"$kout/build.log" 2>&1 || { tail -20 "$kout/build.log" >&2; die "kernel build FAILED"; }
# External modules link against the kernel's exports (kvm.ko is never built).
cp "$kout/vmlinux.symvers" "$kout/Module.symvers"
echo "selftest: kernel ready ($(($(now) - kt)) s)"

# 3. The module, built out of the source tree.
mkdir -p "$mout"
cp "$here/seamemu_test.c" "$here/Kbuild" "$mout/"
kmake M="$mout" modules >"$mout/build.log" 2>&1 || { tail -20 "$mout/build.log" >&2; die "module build FAILED"; }

# 4. initramfs and GRUB ISO.
rm -rf "$run"
mkdir -p "$run/root/bin" "$run/iso/boot/grub"
cp /bin/busybox "$run/root/bin/busybox"
ln -s busybox "$run/root/bin/sh"
cp "$mout/seamemu_test.ko" "$run/root/"
install -m 0755 "$here/init" "$run/root/init"
cat >"$run/nodes.list" <<NODES
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
NODES
(cd "$kout" && sh "$src/usr/gen_initramfs.sh" -o "$run/initrd.cpio" -u squash -g squash \
	"$run/root" "$run/nodes.list") || die "gen_initramfs.sh FAILED"
gzip -1 -c "$run/initrd.cpio" >"$run/iso/boot/initrd.gz"
rm -f "$run/initrd.cpio"
cp "$kout/arch/x86/boot/bzImage" "$run/iso/boot/bzImage"
cat >"$run/iso/boot/grub/grub.cfg" <<GRUB
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "seamemu selftest" {
	linux /boot/bzImage console=ttyS0,115200 loglevel=5 panic=0 seamemu_lie=$lie
	initrd /boot/initrd.gz
}
GRUB
grub-mkrescue -o "$run/selftest.iso" "$run/iso" >"$run/iso.log" 2>&1 || { cat "$run/iso.log" >&2; die "grub-mkrescue FAILED"; }

# 5. Boot.
cat >"$run/bochsrc" <<RC
megs: 256
cpu: model=corei7_haswell_4770, count=1:2:1, ips=50000000, ignore_bad_msrs=1, reset_on_triple_fault=0, seamret=current, seamldr_updates=16
clock: sync=none, time0=1767225600
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
pci: enabled=1, chipset=i440fx
ata0-master: type=cdrom, path=$run/selftest.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$run/serial.log
display_library: nogui
log: $run/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
speaker: enabled=0
RC
: >"$run/serial.log"
echo "selftest: booting in Bochs (2 CPUs, seamret=current$([ $lie = 1 ] && echo ', module lie=1: the negative control'))"
bt=$(now)
(cd "$run" && exec "$bochs" -q -f bochsrc </dev/null >bochs.out 2>&1) &
pid=$!
end=exited
while kill -0 "$pid" 2>/dev/null; do
	if grep -q 'Kernel panic' "$run/serial.log"; then end=panic; break; fi
	if grep -q '^SEAMEMU-END' "$run/serial.log"; then
		end=poweroff
		i=0
		while [ $i -lt 30 ] && kill -0 "$pid" 2>/dev/null; do sleep 1; i=$((i + 1)); done
		break
	fi
	[ $(($(now) - bt)) -ge "$timeout" ] && end=timeout && break
	sleep 2
done
# SIGTERM: the patched Bochs still prints its counters on the way out.
if kill "$pid" 2>/dev/null; then
	sleep 2
	kill -9 "$pid" 2>/dev/null || true
fi
wait "$pid" 2>/dev/null || true
# Bochs ends by itself on ACPI poweroff, maybe before the loop saw the end.
[ "$end" = exited ] && grep -q '^SEAMEMU-END' "$run/serial.log" && end=poweroff
tr -d '\r' <"$run/serial.log" >"$run/serial.txt"
echo "selftest: Bochs ended ($end) after $(($(now) - bt)) s"

# 6. Verdict: the module's TAP, then the CPU's own exit lines.
sed -n '/^SEAMEMU-BEGIN/,/^SEAMEMU-END/p' "$run/serial.txt" | grep -E '^(TAP|ok|not ok|1\.\.|#)' >"$run/selftest.tap" || true
cat "$run/selftest.tap"
fail=0
pass=$(grep -c '^ok' "$run/selftest.tap" || true)
bad=$(grep -c '^not ok' "$run/selftest.tap" || true)
plan=$(sed -n 's/^1\.\.//p' "$run/selftest.tap")
if [ "$bad" != 0 ] || [ -z "$plan" ] || [ "$plan" != "$pass" ]; then
	echo "selftest: module checks: $pass passed, $bad failed, plan ${plan:-missing}"
	fail=1
fi
grep -o -E 'seamemu: (cpu[0-9]+|platform) .*' "$run/bochs.log" >"$run/exit-lines.txt" || true
if [ "$(cat "$run/exit-lines.txt")" != "$EXPECT" ]; then
	echo "selftest: Bochs exit lines differ from the counts this test makes:"
	printf '%s\n' "$EXPECT" >"$run/exit-expected.txt"
	diff "$run/exit-expected.txt" "$run/exit-lines.txt" | sed 's/^/  /' || true
	fail=1
else
	echo "selftest: Bochs exit lines match:"
	sed 's/^/  /' "$run/exit-lines.txt"
fi
if [ "$end" != poweroff ]; then
	echo "selftest: no clean end ($end); last lines of the console:"
	tail -20 "$run/serial.txt" | sed 's/^/  | /'
	fail=1
fi
echo "selftest: $(($(now) - t0)) s in all"
echo "selftest: $((pass)) passed, $((bad + fail)) failed"
exit $fail
