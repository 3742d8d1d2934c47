#!/bin/sh
# stage.sh NAME COMMAND...: run one stage, print its wall time and append
# 'NAME STATUS SECONDS' to build/stages.txt (stages.sh sums them up).
. "$(dirname "$0")/../scripts/lib.sh"
name=$1
shift
mkdir -p "$top/build"
t0=$(now)
echo "==> $name"
"$@"
rc=$?
s=$(($(now) - t0))
[ $rc = 0 ] && st=ok || st=FAILED
echo "==> $name: $st ($s s)"
echo "$name $st $s" >>"$top/build/stages.txt"
exit $rc
