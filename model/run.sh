#!/bin/sh
# run.sh - verdict table and mutation tests for vmcs.pml (POSIX sh + GNU date).
#   sh run.sh table   every design x hardware x context; exit 1 if a verdict
#                     differs from the expected one (see expected() below)
#   sh run.sh test    mutants of the series' design; "model: N passed, 0 failed"
#   sh run.sh deep    the series' design at larger bounds (slow, informative)
# One row at a time: one spin, one gcc, one single-threaded pan.
# Build products go to out/<row>/; counterexamples of the table to
# trails/<row>.trail, of the mutants to out/trails/.
set -u
cd "$(dirname "$0")" || exit 2
MODEL=vmcs.pml
OUT=out
SPIN=${SPIN:-spin}
CC=${CC:-gcc}

ms() { date +%s%N | cut -c1-13; }	# milliseconds
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
ctxname() { case $1 in 1) echo stopmachine ;; 2) echo sysfs ;; 3) echo unload ;; esac; }

# Expected verdicts of the unmutated designs (README.md explains each).
expected() {	# DESIGN CTX
	case $1:$2 in
	4:*) echo holds ;;		# the series
	3:1) echo holds ;;		# stop_machine: no other CPU loads a VMCS meanwhile
	1:3 | 2:3) echo holds ;;	# unload: no VM entry after the read
	*) echo broken ;;
	esac
}

# search DIR [-DREACH]: compile and run pan in DIR.  Plain DFS where the row
# is expected to hold; -DREACH and -i (iterative deepening to the shortest
# trail) where a counterexample is expected or was found.
search() {
	flags="-m100000 -w22"
	[ -n "${2:-}" ] && flags="$flags -i"
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
	reach=-DREACH
	[ "$expect" = holds ] && reach=
	( cd "$dir" && $SPIN $defs -a ../../$MODEL >spin.log 2>&1 ) && search "$dir" $reach
	if [ -z "$reach" ] && [ -f "$dir/$MODEL.trail" ]; then
		search "$dir" -DREACH		# unexpected counterexample: shorten it
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
		reading="$(sed -n 's/^ *EV //p' "$dir/replay.txt" | paste -s -d ';' - | sed 's/;/; /g') ($steps steps)"
	fi
	case $expect:$verdict in
	holds:holds | broken:I* | broken:LIST | broken:UAF | broken:deadlock) ok=1 ;;
	*) ok=0 ;;
	esac
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
	for d in 0 1 2 3 4; do for h in 1 2; do for c in 1 2 3; do
		echo "D$d-H$h-$(ctxname $c) $d $h $c $(expected $d $c) trails"
	done; done; done >$list
	{
	echo "Bounds: 2 CPUs; 3 vCPU threads (vCPU0 nested: vmcs01 + vmcs02), 4 VMCSs; one P-SEAMLDR call"
	echo "(on every CPU under stop_machine); sched-ins per vCPU thread 2/1/1 (unload: 1/1/1), each"
	echo "with any number of VM entries and nested switches.  Sequential consistency."
	echo "spin $($SPIN -V | sed -n 's/^Spin Version \([^ ]*\).*/\1/p'); pan -DSAFETY DFS, counterexamples -DREACH -i."
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
		echo "| D$2 | H$3 | $(ctxname $4) | $v | $STATES | $SEARCH | $TOTAL | ${READING:--} |" | tee -a $tmp
	done <$list
	end=$(ms)
	echo
	echo "total $(secs $((end - start))) s, $bad unexpected verdict(s); table in $tmp"
	[ $bad = 0 ]
}

# Mutants of the series' design.  Each row must give its expected verdict,
# and each mutant must be killed (a counterexample) in at least one row.
mutants() {
	start=$(ms)
	mkdir -p $OUT
	list=$OUT/test.rows
	for m in "M1 MUTANT_NOCB 1 2 3" "M2 MUTANT_OLDORDER 1 2 3" "M3 MUTANT_NOSYNC 3"; do
		set -- $m
		mn=$1 flag=$2
		shift 2
		for c in "$@"; do for h in 1 2; do
			e=broken
			[ $mn:$c = M2:1 ] && e=holds	# the old order needs a second CPU
			echo "$mn-H$h-$(ctxname $c) 4 $h $c $e $OUT/trails -D$flag"
		done; done
	done >$list
	pass=0 fail=0
	for mn in M1 M2 M3; do
		killed=0
		grep "^$mn-" $list >$list.$mn
		while read -r args; do
			show_row $args
			set -- $args
			[ "$VERDICT" = holds ] || [ "$VERDICT" = error ] || killed=1
			if [ "$OK" = 1 ]; then r=PASS pass=$((pass + 1)); else r=FAIL fail=$((fail + 1)); fi
			echo "$r $1 (${7#-D}): $VERDICT, expected $EXPECT; $STATES states, $TOTAL s${READING:+; $READING}"
		done <$list.$mn
		if [ $killed = 1 ]; then
			echo "PASS $mn killed"
			pass=$((pass + 1))
		else
			echo "FAIL $mn survives: it holds in every row"
			fail=$((fail + 1))
		fi
	done
	end=$(ms)
	echo "total $(secs $((end - start))) s"
	echo "model: $pass passed, $fail failed"
	[ $fail = 0 ]
}

deep() {
	for h in 1 2; do for c in 1 2 3; do
		show_row "deep-D4-H$h-$(ctxname $c)" 4 $h $c holds $OUT/trails \
			-DBUDGET0=2 -DBUDGET1=2 -DBUDGET2=2
		echo "D4 H$h $(ctxname $c), sched-ins 2/2/2: $VERDICT, $STATES states, search $SEARCH s, row $TOTAL s"
	done; done
}

case ${1:-table} in
table) table ;;
test) mutants ;;
deep) deep ;;
*) echo "usage: $0 [table|test|deep]" >&2; exit 2 ;;
esac
