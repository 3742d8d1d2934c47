#!/bin/sh
# make export: rewrite the queues (lib.sh: patches/fixes, patches/feature,
# testkit) from build/linux base..HEAD, split at the marker commits that
# end each queue but the last.  Each queue's cover letter,
# 0000-cover-letter.patch, is a hand-kept file: only the patch count in
# its subject is updated.  Output is stable: exporting an unchanged tree
# leaves the queues byte-identical.
. "$(dirname "$0")/../scripts/lib.sh"
set -e
t=$tree
[ -d "$t/.git" ] || die "no build/linux; run 'make tree'"
[ -z "$(git -C "$t" status --porcelain -uno)" ] ||
	die "build/linux has uncommitted changes; commit them first"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
from=base
for q in $queues; do
	if [ "$q" = testkit ]; then
		m='' to=HEAD
	else
		m=$(git -C "$t" log --format='%H %s' base..HEAD |
			awk -v s="$(marker "$q")" 'substr($0, 42) == s { print $1 }')
		[ "$(echo "$m" | grep -c .)" = 1 ] && [ -z "$(git -C "$t" diff "$m^" "$m")" ] ||
			die "build/linux needs exactly one empty commit '$(marker "$q")' after $q"
		to=$m^
	fi
	n=$(git -C "$t" rev-list --count "$from..$to")
	mkdir -p "$tmp/$q" "$top/$q"
	if [ "$n" -gt 0 ]; then
		git -C "$t" format-patch -q --zero-commit --no-signature --numbered \
			--subject-prefix="$(sed -n 's/^Subject: \[\(.*\) 0\/[0-9]*\].*/\1/p' \
				"$top/$q/0000-cover-letter.patch" 2>/dev/null | grep . || echo PATCH)" \
			-o "$tmp/$q" "$from..$to"
	fi
	for p in "$top/$q"/[0-9]*.patch; do
		[ -f "$p" ] && [ "${p##*/}" != 0000-cover-letter.patch ] && rm -f "$p"
	done
	cp "$tmp/$q"/*.patch "$top/$q/" 2>/dev/null || true
	c=$top/$q/0000-cover-letter.patch
	[ -f "$c" ] && sed -i "s|^\(Subject: \[.*\) 0/[0-9]*\]|\1 0/$n]|" "$c"
	echo "export: $q: $n patch(es)"
	from=$m
done
