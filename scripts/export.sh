#!/bin/sh
# make export: rewrite patches/ from build/linux base..HEAD.  The cover
# letter patches/0000-cover-letter.patch is a hand-kept file: only the
# patch count in its subject is updated.  Output is stable: exporting an
# unchanged tree leaves patches/ byte-identical.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
t=$top/build/linux
[ -d "$t/.git" ] || { echo "export: no build/linux; run 'make tree'" >&2; exit 1; }
if [ -n "$(git -C "$t" status --porcelain -uno)" ]; then
	echo "export: build/linux has uncommitted changes; commit them first" >&2
	exit 1
fi
n=$(git -C "$t" rev-list --count base..HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$n" -gt 0 ]; then
	git -C "$t" format-patch -q --zero-commit --no-signature --numbered \
		--subject-prefix=PATCH -o "$tmp" base..HEAD
fi
for p in "$top"/patches/[0-9]*.patch; do
	[ -f "$p" ] && [ "${p##*/}" != 0000-cover-letter.patch ] && rm -f "$p"
done
cp "$tmp"/*.patch "$top/patches/" 2>/dev/null || true
c=$top/patches/0000-cover-letter.patch
if [ -f "$c" ]; then
	sed -i "s|^Subject: \[PATCH 0/[0-9]*\]|Subject: [PATCH 0/$n]|" "$c"
fi
echo "export: $n patch(es) written to patches/"
