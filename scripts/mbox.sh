#!/bin/sh
# make mbox: the cover letter and the patches of patches/ as one mbox,
# build/out/series.mbox, ready for 'git am' or git send-email: every message
# addressed To the maintainers and Cc the reviewers and lists that the
# tree's scripts/get_maintainer.pl names for the whole series.
. "$(dirname "$0")/../scripts/lib.sh"
[ -x "$tree/scripts/get_maintainer.pl" ] || die "no build/linux; run 'make tree'"
cover=$top/patches/0000-cover-letter.patch
[ -f "$cover" ] || die "no cover letter"
# shellcheck disable=SC2046 # one patch a word
gm() { (cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes \
	--no-rolestats "$@" $(series)) | sort -u; }
gm --m --no-r --no-l >"$out/mbox.to" || die "get_maintainer.pl FAILED"
gm --no-m --r --l | grep -vxF -f "$out/mbox.to" >"$out/mbox.cc"
to=$(paste -sd, "$out/mbox.to" | sed 's/,/, /g')
cc=$(paste -sd, "$out/mbox.cc" | sed 's/,/, /g')
mkdir -p "$out"
for p in "$cover" $(series); do
	awk -v to="$to" -v cc="$cc" '!done && /^Subject:/ { print "To: " to; print "Cc: " cc; done = 1 } { print }' "$p"
done >"$out/series.mbox"
echo "mbox: ${out#"$top"/}/series.mbox: $(grep -c '^From [0-9a-f]\{40\} ' "$out/series.mbox") messages, To $(grep -c . "$out/mbox.to"), Cc $(grep -c . "$out/mbox.cc")"
