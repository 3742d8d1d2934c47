#!/bin/sh
# Stage design: check out the design kernel of the DESIGN knob in
# build/designs/tree (lib.sh: e2e_kernel).  designs/DESIGN.series lists,
# one per line, the patches (paths from the repo root; a glob names every
# patch it matches, in order, cover letters aside) that make the design on
# the base; each design is a branch design/DESIGN of
# build/linux's repository, remade when its patches change.  DESIGN=series,
# build/linux itself, needs nothing here.
. "$(dirname "$0")/../scripts/lib.sh"
set -e
knob DESIGN
[ "$DESIGN" = series ] && exit 0
list=$top/designs/$DESIGN.series
[ -f "$list" ] || die "no design '$DESIGN' (designs/$DESIGN.series)"
[ -d "$tree/.git" ] || die "no build/linux; run 'make tree'"
name='seamldr-vmcs developers' email=devel@seamldr-vmcs.invalid
g() { git -C "$tree" -c gc.auto=0 -c user.name="$name" -c user.email="$email" "$@"; }
wt=$top/build/designs/tree
patches=
pats=$(grep -v -E '^[[:space:]]*(#|$)' "$list")
set -f
for pat in $pats; do
	set +f
	# shellcheck disable=SC2086 # a glob, expanded here (cover letters aside)
	set -- $top/$pat
	n=0
	for f; do
		case $f in */0000-cover-letter.patch) continue ;; esac
		[ -f "$f" ] || die "designs/$DESIGN.series: '$pat' names no file"
		patches="$patches $f"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || die "designs/$DESIGN.series: '$pat' names no patch"
	set -f
done
set +f
# shellcheck disable=SC2086 # one patch a word
sum=$( (g rev-parse base; cat $patches) | sha256sum | cut -d' ' -f1)
branch=design/$DESIGN
if [ "$(g config --get "seamldr.design-$DESIGN" || true)" != "$sum" ] ||
	! g rev-parse -q --verify "$branch" >/dev/null; then
	tmp=$top/build/designs/make-$DESIGN
	g worktree remove --force "$tmp" 2>/dev/null || rm -rf "$tmp"
	g worktree prune
	mkdir -p "$top/build/designs"
	g worktree add -q --detach "$tmp" base
	for p in $patches; do
		git -C "$tmp" -c user.name="$name" -c user.email="$email" am -q "$p" ||
			{ git -C "$tmp" am --abort; die "designs/$DESIGN.series: ${p#"$top"/} does not apply"; }
	done
	g branch -q -f "$branch" "$(git -C "$tmp" rev-parse HEAD)"
	g worktree remove --force "$tmp"
	g config "seamldr.design-$DESIGN" "$sum"
	echo "design: $branch made: base + $(echo $patches | wc -w) patch(es)"
fi
if ! git -C "$wt" rev-parse -q HEAD >/dev/null 2>&1; then
	rm -rf "$wt"
	g worktree prune
	g worktree add -q --detach "$wt" "$branch"
fi
git -C "$wt" checkout -q --detach "$branch"
echo "design: build/designs/tree holds $DESIGN ($(git -C "$wt" rev-parse --short HEAD))"
