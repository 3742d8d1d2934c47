#!/bin/sh
# make docs-check: 'make htmldocs' for the documentation directories the
# series touches, on the base and on the series head; fails on any
# warning the series adds (the base has a few of its own, elsewhere).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dirs=${DOCS_DIRS:-"virt/kvm/x86 arch/x86"}
mkdir -p "$top/build/out"
for side in base series; do
	[ $side = base ] && src=$top/build/base/linux || src=$top/build/linux
	: >"$top/build/out/docs-$side.log"
	for d in $dirs; do
		# Debian's python3 has Sphinx; the docs build runs it through PATH.
		(cd "$src" && PATH=/usr/bin:$PATH make -s O="$top/build/out/docs-$side" \
			SPHINXDIRS="$d" htmldocs) >>"$top/build/out/docs-$side.log" 2>&1 ||
			echo "ERROR: htmldocs SPHINXDIRS=$d failed on $side" >>"$top/build/out/docs-$side.log"
	done
	# Warnings name files by absolute path: make them comparable.
	grep -E 'WARNING|ERROR' "$top/build/out/docs-$side.log" | sed "s#$src/##g" | sort -u >"$top/build/out/docs-$side.warn"
done
new=$(comm -13 "$top/build/out/docs-base.warn" "$top/build/out/docs-series.warn")
echo "docs-check: $dirs: $(grep -c . <"$top/build/out/docs-base.warn") warning(s) on the base, $(grep -c . <"$top/build/out/docs-series.warn") with the series"
if [ -n "$new" ]; then
	echo "$new" | sed 's/^/#   /'
	echo "docs-check: 0 passed, 1 failed"
	exit 1
fi
echo "docs-check: 1 passed, 0 failed"
