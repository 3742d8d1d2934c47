#!/bin/sh
# Layer mbox-check: the mbox a maintainer would get (make mbox) applies
# with 'git am' to a clean checkout of the base, and gives exactly the tree
# of build/linux's HEAD; it is addressed (To and Cc from get_maintainer.pl);
# the cover letter names the base it was applied to and tested on, as
# base.pin pins it (no upstream v7.3 commit id could be fetched here).
# TAP: build/tap/mbox-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
tap_open mbox-check
"$top/scripts/mbox.sh" || die "make mbox FAILED"
mbox=$out/series.mbox wt=$out/mbox-tree
[ -s "$out/mbox.to" ] && [ -s "$out/mbox.cc" ] &&
	ok "every message is addressed: To $(grep -c . "$out/mbox.to") maintainers, Cc $(grep -c . "$out/mbox.cc") reviewers and lists" ||
	not_ok "every message is addressed (To and Cc from get_maintainer.pl)"
pin=$(. "$top/base.pin"; echo "$BASE_PACKAGE $BASE_VERSION")
if grep -q -F "$pin" "$top/patches/0000-cover-letter.patch"; then
	ok "the cover letter names the base, $pin"
else
	not_ok "the cover letter names the base, $pin (base.pin)"
fi
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1
rm -rf "$wt"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$wt" base || die "git worktree add FAILED"
if git -C "$wt" -c user.name=check -c user.email=check@invalid am -q --empty=drop "$mbox" >"$out/mbox-am.log" 2>&1; then
	n=$(git -C "$wt" rev-list --count base..HEAD)
	ok "git am applies the mbox to the base: $n patches"
	if [ "$(git -C "$wt" rev-parse HEAD^{tree})" = "$(git -C "$tree" rev-parse HEAD^{tree})" ]; then
		ok "the result is build/linux's tree, exactly"
	else
		not_ok "the result is build/linux's tree, exactly"
		git -C "$tree" diff --stat "$(git -C "$wt" rev-parse HEAD)" HEAD | tail -5 | diag
	fi
else
	not_ok "git am applies the mbox to the base"
	tail -10 "$out/mbox-am.log" | diag
fi
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$tree" worktree prune
tap_close
