#!/bin/sh
# make mbox: each series of the posting as an mbox of its own, ready for
# 'git am' or git send-email: build/out/fixes.mbox (patches/fixes, for
# stable) and build/out/feature.mbox (patches/feature, which applies on top
# of the fixes): the cover letter and the patches, every message addressed
# To the maintainers and Cc the reviewers and lists that the tree's
# scripts/get_maintainer.pl names for that series.  The test kit is not
# posted.
. "$(dirname "$0")/../scripts/lib.sh"
[ -x "$tree/scripts/get_maintainer.pl" ] || die "no build/linux; run 'make tree'"
mkdir -p "$out"
for q in patches/fixes patches/feature; do
	name=${q#patches/}
	cover=$top/$q/0000-cover-letter.patch
	[ -f "$cover" ] || die "no cover letter $q/0000-cover-letter.patch"
	# shellcheck disable=SC2046 # one patch a word
	gm() { (cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes \
		--no-rolestats "$@" $(queue "$q")) | sort -u; }
	gm --m --no-r --no-l >"$out/$name.to" || die "get_maintainer.pl FAILED"
	gm --no-m --r --l | grep -vxF -f "$out/$name.to" >"$out/$name.cc"
	to=$(paste -sd, "$out/$name.to" | sed 's/,/, /g')
	cc=$(paste -sd, "$out/$name.cc" | sed 's/,/, /g')
	for p in "$cover" $(queue "$q"); do
		awk -v to="$to" -v cc="$cc" '!done && /^Subject:/ { print "To: " to; print "Cc: " cc; done = 1 } { print }' "$p"
	done >"$out/$name.mbox"
	echo "mbox: ${out#"$top"/}/$name.mbox: $(grep -c '^From [0-9a-f]\{40\} ' "$out/$name.mbox") messages, To $(grep -c . "$out/$name.to"), Cc $(grep -c . "$out/$name.cc")"
done
