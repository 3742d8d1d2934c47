#!/bin/sh
# Stages 4-5, boot and verdict: build the KVM selftests (static), pack an
# initramfs (busybox-static, kernel modules, tests, e2e/), make a GRUB ISO
# and boot the end-to-end kernel in Bochs with Intel VMX emulated.  The
# serial log is turned into TAP by scripts/verdict.sh.
#   PLAN=live        the test plan, e2e/PLAN.plan (smoke: upstream tests only)
#   CALLS=12000      emulated P-SEAMLDR calls in the live plan's good run
#   TIMEOUT=1500     wall-clock seconds before Bochs is killed
#   NCPU=2 CPU=corei7_haswell_4770 MEGS=1536 IPS=...   the emulated machine
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/linux
kout=$top/build/out/e2e
PLAN=${PLAN:-live}
CALLS=${CALLS:-12000}
TIMEOUT=${TIMEOUT:-1500}
NCPU=${NCPU:-2}
CPU=${CPU:-corei7_haswell_4770}
MEGS=${MEGS:-1536}
IPS=${IPS:-50000000}
run=$top/build/out/run-$PLAN
st=$top/build/out/selftests
jobs=${JOBS:-$(($(nproc) + 1))}
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/seamldr-vmcs/ccache}
# Paths under the repo are hashed relative to the build directory, so a
# clone in another folder (CI) hits the same cache entries.
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1
t0=$(date +%s)
el() { echo "$(($(date +%s) - t0)) s"; }
mkdir -p "$top/build/out"
[ -f "$top/e2e/$PLAN.plan" ] || { echo "e2e: no plan e2e/$PLAN.plan" >&2; exit 2; }
[ -f "$kout/arch/x86/boot/bzImage" ] || { echo "e2e: no kernel; run 'make build-e2e'" >&2; exit 2; }

# --- selftests ---------------------------------------------------------------
make -C "$src" O="$kout" headers >"$top/build/out/selftests.log" 2>&1 ||
	{ tail "$top/build/out/selftests.log" >&2; exit 1; }
make -C "$src/tools/testing/selftests/kvm" OUTPUT="$st" CC="ccache gcc" \
	EXTRA_CFLAGS=-static KHDR_INCLUDES="-isystem $kout/usr/include" -j"$jobs" \
	>>"$top/build/out/selftests.log" 2>&1 ||
	{ grep -E 'error' "$top/build/out/selftests.log" | head -20 >&2; echo "e2e: selftests build FAILED" >&2; exit 1; }
echo "e2e: selftests built ($(el))"

# --- initramfs ---------------------------------------------------------------
rm -rf "$run"
mkdir -p "$run/root/bin" "$run/root/tests" "$run/root/e2e" "$run/iso/boot/grub"
root=$run/root
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
make -C "$src" O="$kout" INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 \
	modules_install >"$run/modules.log" 2>&1 || { tail "$run/modules.log" >&2; exit 1; }
grep -v -E '^[[:space:]]*(#|$)' "$top/e2e/tests.list" | while read -r t; do
	cp "$st/x86/$t" "$root/tests/$t" 2>/dev/null || cp "$st/$t" "$root/tests/$t"
done
install -m 0755 "$top/e2e/init" "$root/init"
install -m 0755 "$top/e2e/"*.sh "$root/e2e/"
install -m 0644 "$top/e2e/"*.plan "$root/e2e/"
rm -f "$root/lib/modules/"*/build "$root/lib/modules/"*/source
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in proc sys tmp; do echo "dir /$d 0755 0 0"; done
	(cd "$root" && find . -mindepth 1 | sort) | while read -r f; do
		p=${f#.}
		if [ -L "$root$p" ]; then echo "slink $p $(readlink "$root$p") 0777 0 0"
		elif [ -d "$root$p" ]; then echo "dir $p 0755 0 0"
		else echo "file $p $root$p $( [ -x "$root$p" ] && echo 0755 || echo 0644) 0 0"
		fi
	done
} >"$run/initramfs.list"
"$kout/usr/gen_init_cpio" "$run/initramfs.list" | gzip -1 >"$run/iso/boot/initrd.gz"
cp "$kout/arch/x86/boot/bzImage" "$run/iso/boot/bzImage"
sed -e "s|@PLAN@|$PLAN|" -e "s|@CMDLINE@|e2e.calls=$CALLS ${CMDLINE:-}|" "$top/e2e/grub.cfg.in" >"$run/iso/boot/grub/grub.cfg"
grub-mkrescue -o "$run/e2e.iso" "$run/iso" >"$run/iso.log" 2>&1 || { cat "$run/iso.log" >&2; exit 1; }
echo "e2e: initramfs $(($(stat -c %s "$run/iso/boot/initrd.gz") / 1024)) KiB, ISO ready ($(el))"

# --- boot --------------------------------------------------------------------
sed -e "s|@MEGS@|$MEGS|" -e "s|@CPU@|$CPU|" -e "s|@NCPU@|$NCPU|" -e "s|@IPS@|$IPS|" \
	-e "s|@ISO@|$run/e2e.iso|" -e "s|@SERIAL@|$run/serial.log|" -e "s|@LOG@|$run/bochs.log|" \
	"$top/e2e/bochsrc.in" >"$run/bochsrc"
echo c >"$run/bochs.rc"		# the debugger Debian builds in: just continue
: >"$run/serial.log"
echo "e2e: booting Bochs ($CPU, $NCPU CPUs, $MEGS MB, plan $PLAN, timeout ${TIMEOUT}s); serial log ${run#"$top"/}/serial.log"
(cd "$run" && exec bochs -q -f bochsrc -rc bochs.rc </dev/null >bochs.out 2>&1) &
pid=$!
b0=$(date +%s) end=exited seen_init=
while kill -0 "$pid" 2>/dev/null; do
	now=$(date +%s)
	if [ -z "$seen_init" ] && grep -q '^E2E-BEGIN' "$run/serial.log"; then
		seen_init=1
		echo "e2e: init reached after $((now - b0)) s"
	fi
	if grep -q -E 'Kernel panic|^E2E-END' "$run/serial.log"; then
		grep -q '^E2E-END' "$run/serial.log" && end=poweroff || end=panic
		# Give a clean poweroff a moment to end Bochs by itself.
		i=0; while [ "$end" = poweroff ] && [ $i -lt 30 ] && kill -0 "$pid" 2>/dev/null; do sleep 1; i=$((i + 1)); done
		break
	fi
	[ $((now - b0)) -ge "$TIMEOUT" ] && end=timeout && break
	sleep 2
done
if kill "$pid" 2>/dev/null; then
	sleep 1
	kill -9 "$pid" 2>/dev/null || true
fi
wait "$pid" 2>/dev/null || true
# Bochs ends by itself on ACPI poweroff, maybe before the loop saw E2E-END.
if [ "$end" = exited ] && grep -q '^E2E-END' "$run/serial.log"; then
	end=poweroff
fi
echo "e2e: Bochs ended ($end) after $(($(date +%s) - b0)) s"
echo "$end" >"$run/end"
if [ "$end" = exited ]; then
	echo "e2e: Bochs exited on its own; last lines of its output:"
	tail -5 "$run/bochs.out" | sed 's/^/  | /'
fi
if [ "$end" != poweroff ]; then
	echo "e2e: last 50 lines of the serial log:"
	tail -50 "$run/serial.log" | sed 's/^/  | /'
fi
rc=0
"$top/scripts/verdict.sh" "$run" || rc=$?
# The figures and pictures of the live runs, then the verdict once more.
"$top/scripts/e2e-figures.sh" "$run" || true
tail -1 "$run/result.tap"
exit $rc
