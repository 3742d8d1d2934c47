#!/bin/sh
# Stage boot, part 1: the initramfs and the GRUB ISO that Bochs boots.
# The initramfs holds busybox-static, the kernel's modules, the KVM
# selftests of e2e/PLAN.tests or e2e/tests.list and e2e/ (init, plans,
# helpers), packed by the kernel's own usr/gen_initramfs.sh.  The kernel
# command line names the plan and its knobs (e2e.plan=PLAN
# e2e.calls=CALLS), which /init passes on.  Output:
# build/out/run-PLAN/e2e.iso (run-PLAN-san with SANITIZE=1).
. "$(dirname "$0")/../scripts/lib.sh"
knob PLAN CALLS SANITIZE
e2e_kernel
[ -f "$top/e2e/$PLAN.plan" ] || die "no plan e2e/$PLAN.plan"
[ -f "$kout/arch/x86/boot/bzImage" ] || die "no $kernel kernel; run 'make build-e2e SANITIZE=$SANITIZE DESIGN=$design'"
[ -d "$st/x86" ] || die "no KVM selftests in ${st#"$top"/}; run 'make selftests'"
# Boot the kernel of the tree's HEAD with its fragments, nothing else
# (series-check builds every patch in the same directory).
head=$(git -C "$tree" rev-parse HEAD)
[ -z "$(git -C "$tree" status --porcelain -uno)" ] || head="$head+dirty"
# shellcheck disable=SC2086 # one fragment a word
want="$head $( (cat $frags; echo "${head%+dirty}") | sha256sum | cut -d' ' -f1)"
[ "$(cat "$kout/.built" 2>/dev/null)" = "$want" ] ||
	die "build/out/$kernel does not hold the $kernel kernel of ${tree#"$top"/} HEAD ($head); run 'make build-e2e SANITIZE=$SANITIZE DESIGN=$design'"

# Every run is kept, in a directory of its own named by its start and plan,
# with what produced it (knobs.txt: the knobs, the repo's and the kernel
# tree's commits); build/out/run-PLAN points at the latest.
stamp=$(date -u +%Y%m%d-%H%M%S)-${run##*/run-}
mkdir -p "$out/runs/$stamp"
rm -rf "$run"
ln -s "runs/$stamp" "$run"
{
	echo "PLAN=$PLAN"
	echo "CALLS=$CALLS"
	echo "CMDLINE=${CMDLINE:-}"
	echo "SANITIZE=$SANITIZE"
	echo "DESIGN=$design"
	echo "REPO=$(git -C "$top" rev-parse HEAD)$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo +dirty)"
	echo "TREE=$head"
	echo "KERNEL=$kernel"
	echo "DATE=$(date -u '+%Y-%m-%d %H:%M UTC')"
} >"$run/knobs.txt"
# The plan as the repo had it: verdict.sh judges the run against this copy.
cp "$top/e2e/$PLAN.plan" "$run/plan"
root=$run/root
mkdir -p "$root/bin" "$root/tests" "$root/e2e" "$run/iso/boot/grub"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
make -C "$tree" O="$kout" INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 \
	modules_install >"$run/modules.log" 2>&1 || { tail "$run/modules.log" >&2; die "modules_install FAILED"; }
rm -f "$root/lib/modules/"*/build "$root/lib/modules/"*/source
# The plan's own list of selftests, e2e/PLAN.tests, or e2e/tests.list.
list=$top/e2e/$PLAN.tests
[ -f "$list" ] || list=$top/e2e/tests.list
grep -v -E '^[[:space:]]*(#|$)' "$list" | while read -r t; do
	cp "$st/x86/$t" "$root/tests/$t" 2>/dev/null || cp "$st/$t" "$root/tests/$t" ||
		die "selftest $t (${list#"$top"/}) was not built"
done || exit 1
install -m 0755 "$top/e2e/init" "$root/init"
install -m 0755 "$top/e2e/"*.sh "$root/e2e/"
install -m 0644 "$top/e2e/"*.plan "$top/e2e/timing-allowlist" "$root/e2e/"
# The emulated CPU's counters and reading, for the guest's shell helpers.
gcc -static -O2 -Wall -o "$root/bin/seamemu" "$top/e2e/seamemu.c" || die "building seamemu FAILED"
# The guest's own kernel log check greps for the same splats as the host,
# and the KUnit check wants every case of kunit/cases.txt.
printf '%s\n' "$splat" >"$root/e2e/splat.pattern"
grep -v '^#' "$top/kunit/cases.txt" >"$root/e2e/kunit.cases"
# A plan that runs QEMU guests (e2e/qemu.sh) gets Debian's QEMU, its
# libraries (ldd) and firmware in /qemu, and in /guest the guest: this same
# kernel and an initramfs of busybox and e2e/qemu/guest-init.
if grep -q '/e2e/qemu.sh' "$top/e2e/$PLAN.plan"; then
	qemu=/usr/bin/qemu-system-x86_64
	sh "$top/scripts/deps.sh" kunit || die "Debian's qemu-system-x86 is missing"
	[ -x "$qemu" ] || die "no $qemu (Debian's qemu-system-x86)"
	mkdir -p "$root/usr/bin" "$root/qemu" "$root/guest"
	cp "$qemu" "$root/usr/bin/"
	ldd "$qemu" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
		/usr/share/qemu/kvmvapic.bin "$root/qemu/"
	cp "$kout/arch/x86/boot/bzImage" "$root/guest/bzImage"
	g=$run/guest-root
	rm -rf "$g"
	mkdir -p "$g/bin"
	cp /bin/busybox "$g/bin/busybox"
	ln -s busybox "$g/bin/sh"
	install -m 0755 "$top/e2e/qemu/guest-init" "$g/init"
	printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
		'nod /dev/null 0666 0 0 c 1 3' 'nod /dev/urandom 0666 0 0 c 1 9' 'dir /proc 0755 0 0' \
		'dir /sys 0755 0 0' 'dir /tmp 1777 0 0' >"$run/guest-nodes.list"
	(cd "$kout" && sh "$tree/usr/gen_initramfs.sh" -o "$run/guest.cpio" -u squash -g squash \
		"$g" "$run/guest-nodes.list") || die "gen_initramfs.sh FAILED (QEMU guest)"
	gzip -1 -c "$run/guest.cpio" >"$root/guest/initrd.gz"
	rm -rf "$run/guest.cpio" "$g"
fi
# What a directory can't hold: the console device, mount points.
cat >"$run/nodes.list" <<NODES
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
NODES
(cd "$kout" && sh "$tree/usr/gen_initramfs.sh" -o "$run/initrd.cpio" -u squash -g squash \
	"$root" "$run/nodes.list") || die "gen_initramfs.sh FAILED"
gzip -1 -c "$run/initrd.cpio" >"$run/iso/boot/initrd.gz"
rm -f "$run/initrd.cpio"
cp "$kout/arch/x86/boot/bzImage" "$run/iso/boot/bzImage"
sed -e "s|@CMDLINE@|e2e.plan=$PLAN e2e.calls=$CALLS ${CMDLINE:-}|" \
	"$top/e2e/grub.cfg.in" >"$run/iso/boot/grub/grub.cfg"
grub-mkrescue -o "$run/e2e.iso" "$run/iso" >"$run/iso.log" 2>&1 || { cat "$run/iso.log" >&2; die "grub-mkrescue FAILED"; }
echo "initramfs: $(($(stat -c %s "$run/iso/boot/initrd.gz") / 1024)) KiB; ISO ${run#"$top"/}/e2e.iso"
