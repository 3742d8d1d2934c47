#!/bin/sh
# Stage build: the KVM selftests of build/linux, linked statically so that
# they run from the busybox initramfs, into build/out/selftests.  The UAPI
# headers come from the booted kernel's build (build/out/KERNEL/usr/include).
. "$(dirname "$0")/../scripts/lib.sh"
knob SANITIZE
PLAN=- e2e_kernel
log=$st.log
t0=$(now)
mkdir -p "$out"
[ -f "$kout/.config" ] || die "no $kernel kernel config; run 'make build-e2e SANITIZE=$SANITIZE'"
make -C "$tree" O="$kout" headers >"$log" 2>&1 ||
	{ tail "$log" >&2; die "make headers FAILED"; }
make -C "$tree/tools/testing/selftests/kvm" OUTPUT="$st" CC="ccache gcc" \
	EXTRA_CFLAGS=-static KHDR_INCLUDES="-isystem $kout/usr/include" -j"$jobs" \
	>>"$log" 2>&1 ||
	{ grep -E 'error' "$log" | head -20 >&2; die "KVM selftests build FAILED; log ${log#"$top"/}"; }
echo "selftests: built in $(($(now) - t0)) s (${st#"$top"/})"
