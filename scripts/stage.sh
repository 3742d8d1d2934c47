#!/bin/sh
# stage.sh NAME COMMAND...: run one pipeline stage, print its wall time,
# append 'NAME STATUS SECONDS' to build/stages.txt.
name=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build"
t0=$(date +%s)
echo "==> $name"
"$@"
rc=$?
s=$(($(date +%s) - t0))
[ $rc = 0 ] && st=ok || st=FAILED
echo "==> $name: $st ($s s)"
echo "$name $st $s" >>"$top/build/stages.txt"
exit $rc
