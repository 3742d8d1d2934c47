#!/bin/sh
# stages.sh: the wall time of every stage since the last 'make' or 'make
# check' began (build/stages.txt, written by stage.sh), summed per stage:
# a prerequisite such as tree runs once for every target that needs it.
. "$(dirname "$0")/../scripts/lib.sh"
[ -s "$top/build/stages.txt" ] || exit 0
echo
echo "stage              runs  failed  seconds"
awk '{ if (!($1 in n)) o[++k] = $1; n[$1]++; s[$1] += $3; if ($2 != "ok") f[$1]++ }
	END { for (i = 1; i <= k; i++) { x = o[i]; t += s[x]
		printf "%-18s %4d %7d %8d\n", x, n[x], f[x], s[x] }
		printf "%-18s %4s %7s %8d\n", "total", "", "", t }' "$top/build/stages.txt"
