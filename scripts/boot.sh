#!/bin/sh
# Stage boot, part 2: boot build/out/run-PLAN/e2e.iso in Bochs with Intel
# VMX emulated (headless, serial console to a file) and watch the console
# until /init powers off, the kernel panics or TIMEOUT seconds pass.
# Output, for verdict.sh and figures.sh: RUN/serial.txt (the console, CRs
# dropped) and RUN/end (poweroff, panic, timeout or exited).
. "$(dirname "$0")/../scripts/lib.sh"
knob PLAN TIMEOUT NCPU CPU MEGS IPS SANITIZE
e2e_kernel
[ -f "$run/e2e.iso" ] || die "no ${run#"$top"/}/e2e.iso; run 'make initramfs'"
sed -e "s|@MEGS@|$MEGS|" -e "s|@CPU@|$CPU|" -e "s|@NCPU@|$NCPU|" -e "s|@IPS@|$IPS|" \
	-e "s|@ISO@|$run/e2e.iso|" -e "s|@SERIAL@|$run/serial.log|" -e "s|@LOG@|$run/bochs.log|" \
	"$top/e2e/bochsrc.in" >"$run/bochsrc"
echo c >"$run/bochs.rc"		# the debugger Debian builds in: just continue
rm -f "$run/serial.txt" "$run/end"
: >"$run/serial.log"
echo "boot: Bochs ($CPU, $NCPU CPUs, $MEGS MB, kernel $kernel, plan $PLAN, timeout ${TIMEOUT}s); console ${run#"$top"/}/serial.txt"
(cd "$run" && exec bochs -q -f bochsrc -rc bochs.rc </dev/null >bochs.out 2>&1) &
pid=$!
b0=$(now) end=exited seen_init=
while kill -0 "$pid" 2>/dev/null; do
	t=$(now)
	if [ -z "$seen_init" ] && grep -q '^E2E-BEGIN' "$run/serial.log"; then
		seen_init=1
		echo "boot: /init reached after $((t - b0)) s"
	fi
	if grep -q -E 'Kernel panic|^E2E-END' "$run/serial.log"; then
		grep -q '^E2E-END' "$run/serial.log" && end=poweroff || end=panic
		# Give a clean poweroff a moment to end Bochs by itself.
		i=0
		while [ "$end" = poweroff ] && [ $i -lt 30 ] && kill -0 "$pid" 2>/dev/null; do
			sleep 1; i=$((i + 1))
		done
		break
	fi
	[ $((t - b0)) -ge "$TIMEOUT" ] && end=timeout && break
	sleep 2
done
if kill "$pid" 2>/dev/null; then
	sleep 1
	kill -9 "$pid" 2>/dev/null || true
fi
wait "$pid" 2>/dev/null || true
# Bochs ends by itself on ACPI poweroff, maybe before the loop saw E2E-END.
[ "$end" = exited ] && grep -q '^E2E-END' "$run/serial.log" && end=poweroff
tr -d '\r' <"$run/serial.log" >"$run/serial.txt"
echo "$end" >"$run/end"
echo "boot: Bochs ended ($end) after $(($(now) - b0)) s"
if [ "$end" = exited ]; then
	echo "boot: Bochs exited on its own; last lines of its output:"
	tail -5 "$run/bochs.out" | sed 's/^/  | /'
fi
if [ "$end" != poweroff ]; then
	echo "boot: last 50 lines of the console:"
	tail -50 "$run/serial.txt" | sed 's/^/  | /'
fi
