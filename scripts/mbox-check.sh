#!/bin/sh
# Layer mbox-check: the two mboxes a maintainer would get (make mbox) apply
# with 'git am', the fixes to a clean checkout of the base and the feature
# on top of them, and give exactly the trees of build/linux at the end of
# each queue (its marker commits); every message is addressed (To and Cc
# from get_maintainer.pl); each cover letter names the base it was applied
# to and tested on, as base.pin pins it (no upstream v7.3 commit id could
# be fetched here).  TAP: build/tap/mbox-check.tap.
. "$(dirname "$0")/../scripts/lib.sh"
tap_open mbox-check
"$top/scripts/mbox.sh" || die "make mbox FAILED"
wt=$out/mbox-tree
pin=$(. "$top/base.pin"; echo "$BASE_PACKAGE $BASE_VERSION")
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1
rm -rf "$wt"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$wt" base || die "git worktree add FAILED"
for q in patches/fixes patches/feature; do
	name=${q#patches/}
	if [ -s "$out/$name.to" ] && [ -s "$out/$name.cc" ]; then
		ok "$name: every message is addressed: To $(grep -c . "$out/$name.to") maintainers, Cc $(grep -c . "$out/$name.cc") reviewers and lists"
	else
		not_ok "$name: every message is addressed (To and Cc from get_maintainer.pl)"
	fi
	if grep -q -F "$pin" "$top/$q/0000-cover-letter.patch"; then
		ok "$name: the cover letter names the base, $pin"
	else
		not_ok "$name: the cover letter names the base, $pin (base.pin)"
	fi
	m=$(git -C "$tree" log --format='%H %s' base..HEAD |
		awk -v s="$(marker "$q")" 'substr($0, 42) == s { print $1 }')
	n0=$(git -C "$wt" rev-list --count base..HEAD)
	if git -C "$wt" -c user.name=check -c user.email=check@invalid am -q --empty=drop "$out/$name.mbox" \
		>"$out/mbox-am-$name.log" 2>&1; then
		ok "$name: git am applies $name.mbox: $(($(git -C "$wt" rev-list --count base..HEAD) - n0)) patches"
		if [ -n "$m" ] && [ "$(git -C "$wt" rev-parse HEAD^{tree})" = "$(git -C "$tree" rev-parse "$m^{tree}")" ]; then
			ok "$name: the result is build/linux's tree at the end of $q, exactly"
		else
			not_ok "$name: the result is build/linux's tree at the end of $q, exactly"
			[ -n "$m" ] && git -C "$tree" diff --stat "$(git -C "$wt" rev-parse HEAD)" "$m" | tail -5 | diag
		fi
	else
		not_ok "$name: git am applies $name.mbox"
		tail -10 "$out/mbox-am-$name.log" | diag
		break
	fi
done
git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$tree" worktree prune
tap_close
