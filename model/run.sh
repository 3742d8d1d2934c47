#!/bin/sh
# run.sh - verify vmcs.pml row by row against expected.txt (POSIX sh + GNU date).
#   sh run.sh table   the designs' table (rows D*), printed and in out/TABLE.md;
#                     exit 1 if a verdict differs from expected.txt
#   sh run.sh test    the mutants of the series' design (rows M*)
#   sh run.sh check   every row of expected.txt, as TAP to build/tap/model.tap:
#                     ok only if the row gives exactly its expected verdict
#   sh run.sh deep    the series' design at larger bounds (slow, informative)
# One row at a time: one spin, one gcc, one single-threaded pan.
# Build products go to out/<row>/; counterexamples of the table to
# trails/<row>.trail, of the mutants to out/trails/.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$(dirname "$0")" || exit 2
MODEL=vmcs.pml
OUT=out
SPIN=spin
CC=gcc

ms() { date +%s%N | cut -c1-13; }	# milliseconds
ctxname() { case $1 in 1) echo stopmachine ;; 2) echo single ;; 3) echo unload ;; 4) echo offline ;; esac; }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# The rows, from expected.txt: NAME VERDICT, NAME = Dd-Hh-CTX or Mm-Hh-CTX.
rows() { grep -E "^${1:-[DM]}[0-9]+-H[12]-[a-z]+ " expected.txt; }
# The mutants of the series' design (D4): Mm -> its spin -D macro.
MUTANTS="M1 M2 M3 M4 M5 M6 M7 M8 M9"
mutant_flag() {
	case $1 in
	M1) echo MUTANT_NOCB ;;		# the callback is never registered
	M2) echo MUTANT_OLDORDER ;;	# 7.3's store order in __loaded_vmcs_clear()
	M3) echo MUTANT_NOSYNC ;;	# unregister without synchronize_rcu()
	M4) echo MUTANT_EARLYCPU ;;	# cpu = -1 published before list_del()
	M5) echo MUTANT_NOIPI ;;	# loaded_vmcs_clear() sends no IPI
	M6) echo MUTANT_HARDIRQ ;;	# flush and P-SEAMLDR call from hardirq context
	M7) echo MUTANT_CURONLY ;;	# flush only the current VMCS; no I4 check
	M8) echo MUTANT_IRQWALK ;;	# list walk with the caller's IRQ state (7.3's)
	M9) echo MUTANT_SHADOWTEST ;;	# launched = 0 before the shadow VMCS test
	*) return 1 ;;
	esac
}
# The design grid: every design on every hardware behaviour in every
# P-SEAMLDR context, plus the offline context for the two KVMs (D3 is
# 7.3's KVM, which D0-D2 and D5 share; D4 is the series').
grid() {
	for d in 0 1 2 3 4 5; do for h in 1 2; do for c in stopmachine single unload; do
		echo "D$d-H$h-$c"
	done; done; done
	for d in 3 4; do for h in 1 2; do echo "D$d-H$h-offline"; done; done
}
# row_args NAME: DESIGN HW CTX [spin -D flag] for a row name.
row_args() {
	n=$1
	dm=${n%%-*} rest=${n#*-}; h=${rest%%-*}; h=${h#H}; c=${rest#*-}
	case $c in stopmachine) c=1 ;; single) c=2 ;; unload) c=3 ;; offline) c=4 ;; *) die "bad row $n" ;; esac
	case $dm in
	D[0-5]) echo "${dm#D} $h $c" ;;
	M*) m=$(mutant_flag "$dm") && echo "4 $h $c -D$m" || die "bad row $n" ;;
	*) die "bad row $n" ;;
	esac
}

# search DIR [-DBFS]: compile and run pan in DIR.  Plain DFS where the row
# is expected to hold; breadth-first (-DBFS: a shortest trail, and much
# faster than DFS with -DREACH -i here) where a counterexample is expected
# or was found.
search() {
	flags="-m100000 -w22"
	( cd "$1" &&
	  $CC -O0 -w -DSAFETY ${2:-} -o pan pan.c >cc.log 2>&1 &&
	  ./pan $flags >pan.out 2>&1 )
}

# row NAME DESIGN HW CTX EXPECTED TRAILDIR [spin -D flags]: verify one row,
# write its result to out/NAME/result as shell assignments.
row() {
	name=$1 d=$2 h=$3 c=$4 expect=$5 tdir=$6
	shift 6
	defs="-DDESIGN=$d -DHW=$h -DCTX=$c $*"
	dir=$OUT/$name
	t0=$(ms)
	rm -rf "$dir" && mkdir -p "$dir" || exit 2
	reach=-DBFS
	[ "$expect" = holds ] && reach=
	( cd "$dir" && $SPIN $defs -a ../../$MODEL >spin.log 2>&1 ) && search "$dir" $reach
	if [ -z "$reach" ] && [ -f "$dir/$MODEL.trail" ]; then
		search "$dir" -DBFS		# unexpected counterexample: shorten it
	fi
	t1=$(ms)
	states=$(sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' "$dir/pan.out" 2>/dev/null)
	stime=$(sed -n 's/^pan: elapsed time \([0-9.e+-]*\) seconds.*/\1/p' "$dir/pan.out" 2>/dev/null)
	errors=$(sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' "$dir/pan.out" 2>/dev/null)
	reading=
	if [ -z "$errors" ] || grep -q 'max search depth too small' "$dir/pan.out"; then
		verdict=error
	elif [ "$errors" = 0 ]; then
		verdict=holds
	else
		mkdir -p "$tdir"
		cp "$dir/$MODEL.trail" "$tdir/$name.trail"
		$SPIN -t -k "$tdir/$name.trail" $defs $MODEL >"$dir/replay.txt" 2>&1
		inv=$(sed -n 's/^spin: text of failed assertion: assert(*\([A-Z][A-Z0-9]*\)||.*/\1/p' "$dir/replay.txt")
		steps=$(sed -n 's/^spin: trail ends after \([0-9]*\) steps.*/\1/p' "$dir/replay.txt")
		verdict=${inv:-deadlock}
		reading="$(sed -n 's/^ *EV //p' "$dir/replay.txt" | paste -s -d ';' - | sed "s/;/; /g; s/'//g") ($steps steps)"
	fi
	ok=0
	# Only "holds" or a named check is ever expected: never a deadlock or
	# an error, whatever expected.txt says.
	case $expect in holds|I1|I2|I3|I4|I7|LIST|UAF) [ "$verdict" = "$expect" ] && ok=1 ;; esac
	cat >"$dir/result" <<EOF
VERDICT='$verdict' EXPECT='$expect' OK=$ok STATES='${states:-?}' SEARCH='${stime:-?}'
TOTAL='$(secs $((t1 - t0)))' READING='$reading' DEFS='$defs'
EOF
}

# show_row ARGS...: run a row, load its result
show_row() {
	row "$@" </dev/null
	. "$OUT/$1/result"
}

table() {
	start=$(ms)
	bad=0
	tmp=$OUT/TABLE.md
	mkdir -p $OUT
	rm -f trails/*.trail
	list=$OUT/table.rows
	rows D | while read -r n v; do echo "$n $(row_args "$n" | cut -d' ' -f1-3) $v trails"; done >$list
	{
	echo "Bounds: 2 CPUs; 3 vCPU threads (vCPU0 nested: vmcs01 + vmcs02 + vmcs01's shadow VMCS),"
	echo "4 KVM VMCSs; one single-CPU P-SEAMLDR call (stopmachine: one call on every CPU under"
	echo "stop_machine, then one single-CPU call); offline: CPU1 goes offline once, no P-SEAMLDR"
	echo "call.  Sched-ins per vCPU thread 2/1/1 (unload: 1/1/1), each with any number of VM"
	echo "entries and nested switches, and at most one L1 VMXOFF (+ VMXON).  Sequential consistency."
	echo "spin $($SPIN -V | sed -n 's/^Spin Version \([^ ]*\).*/\1/p'); pan -DSAFETY: DFS, counterexamples by BFS (shortest)."
	echo
	echo "| design | HW | context | verdict | states | search s | row s | shortest counterexample (trail events) |"
	echo "|---|---|---|---|---|---|---|---|"
	} >$tmp
	cat $tmp
	while read -r args; do
		show_row $args
		set -- $args
		v=$VERDICT
		[ "$v" = holds ] || [ "$v" = error ] || v="**$v broken**"
		[ "$OK" = 1 ] || { v="$v (EXPECTED $EXPECT)"; bad=$((bad + 1)); }
		c=${1#*-H?-}
		echo "| D$2 | H$3 | $c | $v | $STATES | $SEARCH | $TOTAL | ${READING:--} |" | tee -a $tmp
	done <$list
	end=$(ms)
	echo
	echo "total $(secs $((end - start))) s, $bad unexpected verdict(s); table in $tmp"
	[ $bad = 0 ]
}

# The mutants of the series' design, each row with its expected verdict.
mutants() {
	start=$(ms)
	mkdir -p $OUT
	pass=0 fail=0
	rows M | while read -r n v; do echo "$n $(row_args "$n") $v"; done >$OUT/test.rows
	while read -r n d h c flag v; do
		show_row "$n" "$d" "$h" "$c" "$v" $OUT/trails "$flag"
		if [ "$OK" = 1 ]; then r=PASS pass=$((pass + 1)); else r=FAIL fail=$((fail + 1)); fi
		echo "$r $n (${flag#-D}): $VERDICT, expected $EXPECT; $STATES states, $TOTAL s${READING:+; $READING}"
	done <$OUT/test.rows
	end=$(ms)
	echo "total $(secs $((end - start))) s"
	echo "model mutants: $pass passed, $fail failed"
	[ $fail = 0 ]
}

# Every row of expected.txt, as TAP: the designs' table, then the mutants.
check_all() {
	tap_open model
	# The table is every design on every hardware behaviour in every
	# context: a row deleted from expected.txt must not just go unchecked.
	missing=
	for r in $(grid); do rows | grep -q "^$r " || missing="$missing $r"; done
	for m in $MUTANTS; do rows | grep -q "^$m-" || missing="$missing $m"; done
	if [ -z "$missing" ]; then ok "expected.txt has every design row ($(grid | wc -l) rows: 6 x 2 x 3, and D3/D4 x 2 offline) and mutants M1-M9"
	else not_ok "expected.txt lacks:$missing"; fi
	rows | while read -r n v; do echo "$n $(row_args "$n")"; done >$OUT/check.rows
	while read -r n d h c flag; do
		v=$(awk -v n="$n" '$1 == n { print $2 }' expected.txt)
		dir=trails
		case $n in M*) dir=$OUT/trails ;; esac
		show_row "$n" "$d" "$h" "$c" "$v" "$dir" ${flag:+"$flag"}
		if [ "$OK" = 1 ]; then
			ok "$n: $VERDICT, as expected ($STATES states)"
		else
			not_ok "$n: $VERDICT, expected $EXPECT"
			[ -z "$READING" ] || echo "$READING" | diag
		fi
	done <$OUT/check.rows
	tap_close
}

deep() {
	for h in 1 2; do for c in 1 2 3 4; do
		show_row "deep-D4-H$h-$(ctxname $c)" 4 $h $c holds $OUT/trails \
			-DBUDGET0=2 -DBUDGET1=2 -DBUDGET2=2
		echo "D4 H$h $(ctxname $c), sched-ins 2/2/2: $VERDICT, $STATES states, search $SEARCH s, row $TOTAL s"
	done; done
}

mkdir -p $OUT
case ${1:-table} in
table) table ;;
test) mutants ;;
check) check_all ;;
deep) deep ;;
*) echo "usage: $0 [table|test|check|deep]" >&2; exit 2 ;;
esac
