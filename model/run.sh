#!/bin/sh
# run.sh - verify vmcs.pml row by row against expected.txt (POSIX sh + GNU date).
#   sh run.sh table   the designs' table (rows D*), printed and in out/TABLE.md;
#                     exit 1 if a verdict differs from expected.txt
#   sh run.sh test    the mutants of the series' design (rows M*)
#   sh run.sh check   every row of expected.txt, as TAP to build/tap/model.tap:
#                     ok only if the row gives exactly its expected verdict
#   sh run.sh deep    D4 (and D3 outside offline) at larger bounds (informative)
# One row at a time: one spin, one gcc, one single-threaded pan, at nice 10.
# Build products go to out/<row>/; counterexamples of the table to
# trails/<row>.trail, of the mutants to out/trails/.
. "$(dirname "$0")/../scripts/lib.sh"
cd "$(dirname "$0")" || exit 2
MODEL=vmcs.pml
OUT=out
SPIN=spin
CC=gcc
NICE="nice -n 10"

ms() { date +%s%N | cut -c1-13; }	# milliseconds
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# Readings of SEAMRET from P-SEAMLDR (spin -DREADING=RD_<name>) and the
# contexts (-DCTX=CTX_<name>).  offline makes no P-SEAMLDR call, so its
# rows carry no reading.
READINGS="none pointer current all"
CONTEXTS="update unload"
CHECKS="holds I1 I2 I3 I4 I7 I8 LIST UAF"
# A row: Dd-READING-CONTEXT, Dd-offline, Mm-READING-CONTEXT or Mm-offline.
ROWPAT='^[DM][0-9]+-((none|pointer|current|all)-(update|unload)|offline)$'

# The rows of expected.txt: "NAME VERDICT" lines (comments and blank
# lines dropped); rows D or M only with $1.
entries() { grep -v -e '^#' -e '^[[:space:]]*$' expected.txt; }
rows() { entries | grep -E "^${1:-[DM]}[0-9]"; }

# The mutants of the series' design (D4): Mm -> its spin -D macros.
MUTANTS="M1 M2 M3 M4 M5 M6 M7 M8 M9 M10 M11 M12 M13"
mutant_flag() {
	case $1 in
	M1) echo MUTANT_NOCB ;;		# the callback is never registered
	M2) echo MUTANT_OLDORDER ;;	# 7.3's store order in __loaded_vmcs_clear()
	M3) echo MUTANT_NOSYNC ;;	# unregister without synchronize_rcu()
	M4) echo MUTANT_EARLYCPU ;;	# cpu = -1 published before list_del()
	M5) echo MUTANT_NOIPI ;;	# loaded_vmcs_clear() sends no IPI
	M6) echo MUTANT_HARDIRQ ;;	# the update's states from hardirq context, no context check
	M7) echo MUTANT_CURONLY ;;	# flush only the current VMCS; no I4 check
	M8) echo MUTANT_IRQWALK ;;	# offline list walk with IRQs on (7.3's)
	M9) echo MUTANT_SHADOWTEST ;;	# launched = 0 before the shadow VMCS test
	M10) echo MUTANT_V3ORDER ;;	# v3: the flush in CPU_INSTALL, after SHUTDOWN
	M11) echo MUTANT_LEADONLY ;;	# the flush on the lead CPU only
	M12) echo MUTANT_NOSYNC MUTANT_OUTSIDE ;;	# M3 + v3's refresh outside the stop
	M13) echo MUTANT_GOON ;;	# the state machine goes on after a refusal
	*) return 1 ;;
	esac
}
# The design grid: every design on every reading in every P-SEAMLDR
# context, plus the offline context for the two KVMs (D3 is 7.3's KVM,
# which D0-D2 and D5 share; D4 is the series').
grid() {
	for d in 0 1 2 3 4 5; do for r in $READINGS; do for c in $CONTEXTS; do
		echo "D$d-$r-$c"
	done; done; done
	echo D3-offline
	echo D4-offline
}
# row_args NAME: DESIGN READING CTX [spin -D flags] for a row name.
row_args() {
	n=$1
	dm=${n%%-*} rest=${n#*-}
	case $rest in
	offline) r=none c=offline ;;
	*-*) r=${rest%%-*} c=${rest#*-} ;;
	*) die "bad row $n" ;;
	esac
	case $dm in
	D[0-5]) echo "${dm#D} RD_$r CTX_$c" ;;
	M*) m=$(mutant_flag "$dm") || die "bad row $n"
	    echo "4 RD_$r CTX_$c $(for f in $m; do printf ' -D%s' "$f"; done)" ;;
	*) die "bad row $n" ;;
	esac
}

# search DIR [-DBFS]: compile and run pan in DIR.  Plain DFS where the row
# is expected to hold; breadth-first (-DBFS: a shortest trail) where a
# counterexample is expected or was found.
search() {
	panflags="-m100000 -w22"
	( cd "$1" &&
	  $NICE $CC -O0 -w -DSAFETY ${2:-} -o pan pan.c >cc.log 2>&1 &&
	  $NICE ./pan $panflags >pan.out 2>&1 )
}

# row NAME DESIGN READING CTX EXPECTED TRAILDIR [spin -D flags]: verify one
# row, write its result to out/NAME/result as shell assignments.
row() {
	name=$1 d=$2 h=$3 c=$4 expect=$5 tdir=$6
	shift 6
	defs="-DDESIGN=$d -DREADING=$h -DCTX=$c $*"
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
	if [ -z "$errors" ] || grep -q -e 'max search depth too small' -e 'out of memory' "$dir/pan.out"; then
		verdict=error
	elif [ "$errors" = 0 ]; then
		verdict=holds
	elif [ ! -f "$dir/$MODEL.trail" ]; then
		verdict=error
	else
		mkdir -p "$tdir"
		cp "$dir/$MODEL.trail" "$tdir/$name.trail"
		$SPIN -t -k "$tdir/$name.trail" $defs $MODEL >"$dir/replay.txt" 2>&1
		inv=$(sed -n 's/^spin: text of failed assertion: assert(*\([A-Z][A-Z0-9]*\)||.*/\1/p' "$dir/replay.txt")
		steps=$(sed -n 's/^spin: trail ends after \([0-9]*\) steps.*/\1/p' "$dir/replay.txt")
		if [ -n "$inv" ]; then
			verdict=$inv
		elif grep -q 'invalid end state' "$dir/pan.out"; then
			verdict=deadlock
		else
			verdict=error
		fi
		reading="$(sed -n 's/^ *EV //p' "$dir/replay.txt" | paste -s -d ';' - | sed "s/;/; /g; s/'//g") ($steps steps)"
	fi
	ok=0
	# Only "holds" or a named check is ever expected: never a deadlock or
	# an error, whatever expected.txt says.
	for k in $CHECKS; do
		[ "$expect" = "$k" ] && [ "$verdict" = "$expect" ] && ok=1
	done
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

# lint: every entry of expected.txt is a well-formed row with one known
# verdict, none twice, every row of the grid and every mutant present.
# Prints what is wrong, nothing if all is well.
lint() {
	entries | awk -v pat="$ROWPAT" -v checks="$CHECKS" '
		BEGIN { n = split(checks, k, " "); for (i = 1; i <= n; i++) ok[k[i]] = 1 }
		NF != 2 || $1 !~ pat || !($2 in ok) { printf " malformed:%s", $0; next }
		seen[$1]++ == 1 { printf " twice:%s", $1 }'
	for r in $(grid); do rows | grep -q "^$r " || printf ' missing:%s' "$r"; done
	for m in $MUTANTS; do rows | grep -q "^$m-" || printf ' missing:%s' "$m"; done
	for n in $(rows M | cut -d' ' -f1); do mutant_flag "${n%%-*}" >/dev/null || printf ' unknown:%s' "$n"; done
}

# The designs' table: every design row, then the grid of verdicts.
table() {
	start=$(ms)
	bad=0
	tmp=$OUT/TABLE.md
	mkdir -p $OUT
	rm -f trails/*.trail
	list=$OUT/table.rows
	rows D | while read -r n v; do echo "$n $v $(row_args "$n")"; done >$list
	{
	echo "Bounds: 2 CPUs; 3 vCPU threads (vCPU0 nested: vmcs01 + vmcs02 + vmcs01's shadow VMCS),"
	echo "4 KVM VMCSs.  update: one stop_machine() (CPU_PREPARE, which may refuse, on each CPU;"
	echo "SHUTDOWN; P_SEAMLDR_INSTALL on each CPU; re-init, then the SEAMLDR_INFO refresh on the"
	echo "lead CPU), vCPUs running before and after it.  unload: the same update racing VM teardown"
	echo "and rmmod/modprobe kvm_intel.  offline: CPU1 goes offline once while vCPUs run and then the"
	echo "VM is torn down; no P-SEAMLDR call."
	echo "Sched-ins per vCPU thread 2/1/1 (unload: 1/1/1), each with any number of VM entries and"
	echo "nested switches, and at most one L1 VMXOFF (+ VMXON).  Sequential consistency."
	echo "spin $($SPIN -V | sed -n 's/^Spin Version \([^ ]*\).*/\1/p'); pan -DSAFETY: DFS, counterexamples by BFS (shortest)."
	echo
	echo "| design | reading | context | verdict | states | search s | row s | shortest counterexample (trail events) |"
	echo "|---|---|---|---|---|---|---|---|"
	} >$tmp
	cat $tmp
	: >$OUT/table.verdicts
	while read -r n v d h c; do
		show_row "$n" "$d" "$h" "$c" "$v" trails
		echo "$n $VERDICT" >>$OUT/table.verdicts
		vv=$VERDICT
		[ "$vv" = holds ] || [ "$vv" = error ] || vv="**$vv broken**"
		[ "$OK" = 1 ] || { vv="$vv (EXPECTED $EXPECT)"; bad=$((bad + 1)); }
		r=${h#RD_}
		[ "${c#CTX_}" = offline ] && r=-
		echo "| D$d | $r | ${c#CTX_} | $vv | $STATES | $SEARCH | $TOTAL | ${READING:--} |" | tee -a $tmp
	done <$list
	# The summary grid: design x reading x context
	{
	echo
	echo "| design | $(for c in $CONTEXTS; do for r in $READINGS; do printf '%s %s | ' "$r" "$c"; done; done)offline (no call) |"
	echo "|---|$(for c in $CONTEXTS; do for r in $READINGS; do printf -- '---|'; done; done)---|"
	for d in 0 1 2 3 4 5; do
		printf '| D%s |' $d
		for c in $CONTEXTS; do for r in $READINGS; do
			printf ' %s |' "$(awk -v n="D$d-$r-$c" '$1 == n { print $2 }' $OUT/table.verdicts)"
		done; done
		case $d in 3|4) printf ' %s |\n' "$(awk -v n="D$d-offline" '$1 == n { print $2 }' $OUT/table.verdicts)" ;;
		*) echo ' (= D3) |' ;;
		esac
	done
	} | tee -a $tmp
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
	rows M | while read -r n v; do echo "$n $v $(row_args "$n")"; done >$OUT/test.rows
	while read -r n v d h c flags; do
		show_row "$n" "$d" "$h" "$c" "$v" $OUT/trails "$flags"
		if [ "$OK" = 1 ]; then r=PASS pass=$((pass + 1)); else r=FAIL fail=$((fail + 1)); fi
		echo "$r $n ($(echo $flags | sed 's/-D//g')): $VERDICT, expected $EXPECT; $STATES states, $TOTAL s${READING:+; $READING}"
	done <$OUT/test.rows
	end=$(ms)
	echo "total $(secs $((end - start))) s"
	echo "model mutants: $pass passed, $fail failed"
	[ $fail = 0 ]
}

# Every row of expected.txt, as TAP: the designs' table, then the mutants.
check_all() {
	start=$(ms)
	tap_open model
	# The table is every design on every reading in every context: a row
	# deleted from expected.txt must not just go unchecked, nor a typo
	# pass as a row that is never run.
	bad=$(lint)
	if [ -z "$bad" ]; then ok "expected.txt is well formed and has every design row ($(grid | wc -l) rows: 6 x 4 readings x 2 contexts, and D3/D4 offline) and mutants M1-M13"
	else not_ok "expected.txt:$bad"; fi
	rows | while read -r n v; do echo "$n $v $(row_args "$n")"; done >$OUT/check.rows
	while read -r n v d h c flags; do
		dir=trails
		case $n in M*) dir=$OUT/trails ;; esac
		show_row "$n" "$d" "$h" "$c" "$v" "$dir" ${flags:+"$flags"}
		if [ "$OK" = 1 ]; then
			ok "$n: $VERDICT, as expected ($STATES states)"
		else
			not_ok "$n: $VERDICT, expected $EXPECT"
			[ -z "$READING" ] || echo "$READING" | diag
		fi
	done <$OUT/check.rows
	end=$(ms)
	echo "$(wc -l <$OUT/check.rows) rows in $(secs $((end - start))) s" | diag
	tap_close
}

# D4 flushes everything before any P-SEAMLDR call, so no SEAMRET finds
# anything to change and its state space is the same under every reading:
# the deep rows use "all".  D3 (the callback on 7.3's KVM) runs too in
# update and unload, where the bounds above find it holds.
deep() {
	for dc in 4:update 4:unload 4:offline 3:update 3:unload; do
		d=${dc%:*} c=${dc#*:}
		case $c in offline) n=deep-D$d-offline r=RD_none ;; *) n=deep-D$d-all-$c r=RD_all ;; esac
		show_row "$n" $d $r CTX_$c holds $OUT/trails -DBUDGET0=2 -DBUDGET1=2 -DBUDGET2=2
		echo "${n#deep-}, sched-ins 2/2/2: $VERDICT, $STATES states, search $SEARCH s, row $TOTAL s"
	done
}

mkdir -p $OUT
case ${1:-table} in
table) table ;;
test) mutants ;;
check) check_all ;;
deep) deep ;;
*) echo "usage: $0 [table|test|check|deep]" >&2; exit 2 ;;
esac
