#!/bin/sh
# Stage boot, part 2: boot build/out/run-PLAN/e2e.iso in the project's
# Bochs (emulator/: Intel VMX, SEAMCALL and SEAMRET's readings emulated;
# headless, serial console to a file) and watch the console until /init
# powers off, the kernel panics or TIMEOUT seconds pass.  Output, for
# verdict.sh and figures.sh: RUN/serial.txt (the console, CRs dropped),
# RUN/end (poweroff, panic, timeout or exited) and RUN/seamemu.txt, the
# emulated CPU's counters as it printed them at exit.
. "$(dirname "$0")/../scripts/lib.sh"
knob PLAN TIMEOUT EMU_NCPU EMU_CPU EMU_MEGS EMU_IPS EMU_SEAMRET EMU_UPDATES SANITIZE
e2e_kernel
bochs=$top/build/emulator/bin/bochs
[ -x "$bochs" ] || die "no $bochs; run 'make emulator'"
[ -f "$run/e2e.iso" ] || die "no ${run#"$top"/}/e2e.iso; run 'make initramfs'"
sed -e "s|@MEGS@|$EMU_MEGS|" -e "s|@CPU@|$EMU_CPU|" -e "s|@CPUOPTS@|${EMU_CPU_OPTS:+, $EMU_CPU_OPTS}|" -e "s|@NCPU@|$EMU_NCPU|" \
	-e "s|@IPS@|$EMU_IPS|" -e "s|@SEAMRET@|$EMU_SEAMRET|" -e "s|@UPDATES@|$EMU_UPDATES|" \
	-e "s|@ISO@|$run/e2e.iso|" -e "s|@SERIAL@|$run/serial.log|" -e "s|@LOG@|$run/bochs.log|" \
	"$top/e2e/bochsrc.in" >"$run/bochsrc"
rm -f "$run/serial.txt" "$run/end" "$run/seamemu.txt"
{
	for k in TIMEOUT EMU_NCPU EMU_CPU EMU_CPU_OPTS EMU_MEGS EMU_IPS EMU_SEAMRET EMU_UPDATES; do
		eval "echo $k=\${$k:-}"
	done
	echo "EMULATOR=$(sha256sum <"$top/build/emulator/stamp" 2>/dev/null | cut -c1-16) (build/emulator/stamp)"
} >>"$run/knobs.txt"
: >"$run/serial.log"
echo "boot: Bochs ($EMU_CPU, $EMU_NCPU CPUs, $EMU_MEGS MB, SEAMRET $EMU_SEAMRET, kernel $kernel, plan $PLAN, timeout ${TIMEOUT}s); console ${run#"$top"/}/serial.txt"
(cd "$run" && exec "$bochs" -q -f bochsrc </dev/null >bochs.out 2>&1) &
pid=$!
b0=$(now) end=exited seen_init= nsteps=0
# Each plan step's start in wall seconds since Bochs started (to the poll's
# 2 s), for figures.sh: "SECONDS N NAME", then "SECONDS end".
: >"$run/steps-wall.txt"
while kill -0 "$pid" 2>/dev/null; do
	t=$(now)
	n=$(tr -d '\r' <"$run/serial.log" | grep -c '^E2E-STEP ')
	if [ "$n" -gt "$nsteps" ]; then
		tr -d '\r' <"$run/serial.log" | grep '^E2E-STEP ' | sed -n "$((nsteps + 1)),${n}p" |
			while read -r _ k name; do echo "$((t - b0)) $k $name"; done >>"$run/steps-wall.txt"
		nsteps=$n
	fi
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
# SIGTERM: the patched Bochs prints its counters on the way out.
if kill "$pid" 2>/dev/null; then
	sleep 2
	kill -9 "$pid" 2>/dev/null || true
fi
wait "$pid" 2>/dev/null || true
echo "$(($(now) - b0)) end" >>"$run/steps-wall.txt"
grep -o -E 'seamemu: (cpu[0-9]+|platform) .*' "$run/bochs.log" >"$run/seamemu.txt" 2>/dev/null || true
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
