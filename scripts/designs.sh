#!/bin/sh
# make designs: every design of the thread, live.  designs.sh RUN...: read
# the runs of e2e/designs.plan, one per design kernel (build/out/
# run-designs-DESIGN), into one table of what the guests did under each
# reading of SEAMRET, and compare each cell with the model's verdict for
# the same design, reading and context ("update", model/TABLE.md): a
# design the model says holds must survive, one it says breaks must break.
# Writes build/out/designs.md, with what each design costs (the plan's
# design_cost step: VMCLEARs and VMPTRLDs per update, and per vCPU after);
# exits 1 unless every cell ran and matches and every design's cost came
# through.
# The cells' counts come from the emulated CPU (the selftest's -D log).
. "$(dirname "$0")/../scripts/lib.sh"
table=$top/model/TABLE.md
md=$out/designs.md
[ -f "$table" ] || die "no model/TABLE.md"
bad=0
# design_of RUN: the run's design, as the model's table names it (D0..D5).
design_of() {
	d=$(sed -n 's/^DESIGN=//p' "$1/knobs.txt" 2>/dev/null)
	[ -n "$d" ] || d=${1##*-designs-}
	echo "$d" | tr a-z A-Z
}
{
echo "| design | reading | live | kind | updates | P-SEAMLDR calls | found a VMCS current | active at SEAMRET | cleared | I3 | model | match |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for run; do
	D=$(design_of "$run")
	for r in none pointer current all; do
		model=$(awk -F'|' -v d="$D" -v r="$r" '{ gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4) }
			$2 == d && $3 == r && $4 == "update" { v = $5; gsub(/\*|^ +| +$/, "", v); print v }' "$table")
		log=$run/logs/design-$r.log
		line=$(grep '^result design ' "$log" 2>/dev/null | tail -1)
		if [ -z "$line" ]; then
			live="did not run" kind=- u=- c=- f=- a=- cl=- i3=-
		else
			v() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
			kind=$(v kind) u=$(v updates) c=$(v calls) f=$(v found) a=$(v active) cl=$(v cleared) i3=$(v i3)
			[ "$(v survived)" = 1 ] && live=survives || live=breaks
		fi
		case $live:$model in
		survives:holds|breaks:*broken) match=yes ;;
		*) match=NO; bad=$((bad + 1)) ;;
		esac
		echo "| $D | $r | $live | $kind | $u | $c | $f | $a | $cl | $i3 | ${model:-no row} | $match |"
	done
done
echo
echo "What each design costs, under \"none\" (the perf test, from the CPU's counters): per update with 8 VMCSs loaded on one CPU, and per vCPU on its first run after an update."
echo
echo "| design | VMCLEARs per update | VMPTRLDs per update | first run after: VMPTRLD | VMLAUNCH | VMRESUME | runs |"
echo "|---|---|---|---|---|---|---|"
for run; do
	D=$(design_of "$run")
	row=$(awk -v D="$D" '
		function kv(  i, a) { delete v; for (i = 3; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] } }
		$2 == "cost" && $3 == "n=8" { kv(); cl = v["vmclear_min"] "-" v["vmclear_max"]; pl = v["vmptrld_min"] "-" v["vmptrld_max"] }
		$2 == "vcpu" && $3 == "kind=after_update" { kv(); after = v["vmptrld"] " | " v["vmlaunch"] " | " v["vmresume"] " | " v["runs"] }
		END { printf "| %s | %s | %s | %s |\n", D, cl ? cl : "-", pl ? pl : "-", after ? after : "- | - | - | -" }' \
		"$run/serial.txt" 2>/dev/null)
	echo "$row"
	# A design whose cost didn't come through fails the table too.
	case $row in *"| - |"*) bad=$((bad + 1)) ;; esac
done
} >"$md"
cat "$md"
echo
if [ $bad = 0 ]; then
	echo "designs: every cell matches the model ($md)"
else
	echo "designs: $bad cell(s) differ from the model or did not run, or cost rows are missing ($md)"
	exit 1
fi
