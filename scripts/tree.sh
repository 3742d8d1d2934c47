#!/bin/sh
# Stage tree: build/linux is a git repo holding the base as one commit
# tagged 'base', then one commit per patch of each queue (lib.sh: the
# fixes, the feature, the test kit; git am, in order), each queue but the
# last ended by an empty marker commit.  An existing tree is rebuilt only
# when a queue changed and the tree holds nothing unexported; make passes
# FORCE (default 0), and FORCE=1 discards kernel-tree work.  Writes
# build/tap/tree.tap: the queues apply.
. "$(dirname "$0")/../scripts/lib.sh"
set -e
knob FORCE
t=$tree
name='seamldr-vmcs developers' email=devel@seamldr-vmcs.invalid
g() { git -C "$t" -c gc.auto=0 -c user.name="$name" -c user.email="$email" "$@"; }
# A queue's patches, then its marker (but for the last queue).
ids_patches() {
	for q in $queues; do
		for p in $(queue "$q"); do git patch-id --stable <"$p"; done | awk '{print $1}'
		[ "$q" = testkit ] || marker "$q"
	done
}
ids_tree() { g log --reverse --format='%H %s' base..HEAD | while read -r c subj; do
	case $subj in "$(marker "${subj#*end of }")") echo "$subj"; continue ;; esac
	g show "$c" | git patch-id --stable | awk '{print $1}'; done; }
# build/linux holds the base as one commit, without upstream history, so
# checkpatch can't look up the upstream commits that changelogs cite;
# series-check checks them against fixtures/upstream-commits.txt instead.
# checkpatch reads this file from the directory it runs in; git never
# sees it.
checkpatch_conf() {
	printf '%s\n' '# Written by scripts/tree.sh: this tree has no upstream history.' \
		'--ignore UNKNOWN_COMMIT_ID' >"$t/.checkpatch.conf"
	grep -qx '/.checkpatch.conf' "$t/.git/info/exclude" 2>/dev/null ||
		echo '/.checkpatch.conf' >>"$t/.git/info/exclude"
}
t0=$(now)
[ -f "$base_tree/.unpacked" ] || die "no base in build/base/linux; run 'make base'"

if [ -d "$t/.git" ] && g rev-parse -q --verify base >/dev/null; then
	# Commits made here by hand carry the project's identity, so that
	# 'make export' writes patches with the project as their author.
	g config user.name "$name"
	g config user.email "$email"
	if [ "$(ids_tree)" = "$(ids_patches)" ] && [ -z "$(g status --porcelain -uno)" ]; then
		checkpatch_conf
		echo "tree: build/linux is base + $(series | grep -c . || true) patch(es), up to date"
		tap_open tree
		ok "the $(series | grep -c . || true) patches of $queues apply on the base (tree up to date)"
		tap_close >/dev/null
		exit 0
	fi
	if [ "$FORCE" != 1 ]; then
		extra=$(ids_tree | grep -vxF "$(ids_patches)" -c || true)
		dirty=$(g status --porcelain -uno | grep -c . || true)
		if [ "$extra" -gt 0 ] || [ "$dirty" -gt 0 ]; then
			echo "tree: build/linux has $extra commit(s) not in the queues and $dirty modified file(s)." >&2
			echo "tree: run 'make export' to keep them, or 'make tree FORCE=1' to drop them." >&2
			exit 1
		fi
	fi
	echo "tree: a queue changed; resetting build/linux to base"
	g am --abort >/dev/null 2>&1 || true
	g reset -q --hard base
	g clean -q -fdx
else
	echo "tree: creating build/linux from build/base/linux"
	rm -rf "$t"
	cp -a "$top/build/base/linux" "$t"
	rm -f "$t/.unpacked"
	git init -q -b master "$t"
	g config core.abbrev 12
	g config gc.auto 0
	g config maintenance.auto false
	g config user.name "$name"
	g config user.email "$email"
	g add -A -f .
	# A fixed identity and date make the base commit, and so every
	# tree made from the same base, identical.
	GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
		g commit -q -m "base: $(. "$top/base.pin"; echo "$BASE_PACKAGE $BASE_VERSION")"
	g tag base
fi
checkpatch_conf
# Debian's linux-source appends '/*' to the top-level .gitignore, which
# would hide every new file of a patch.  Drop that block in the working
# copy only; skip-worktree keeps the edit out of commits and patches.
g update-index --skip-worktree .gitignore
sed -i '/^# Debian packaging: ignore everything/,$d' "$t/.gitignore"

tap_open tree
n=0
for q in $queues; do
	for p in $(queue "$q"); do
		n=$((n + 1))
		if ! g am -q --keep-cr "$p"; then
			g am --abort >/dev/null 2>&1 || true
			not_ok "$q/$(basename "$p") applies"
			tap_close
			die "FAILED to apply $q/$(basename "$p")"
		fi
	done
	# A fixed date keeps the markers, like the base, the same in every tree.
	[ "$q" = testkit ] || GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' \
		GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' g commit -q --allow-empty -m "$(marker "$q")"
done
ok "the $n patches of $queues apply on the base"
tap_close >/dev/null
echo "tree: build/linux = base + $n patch(es) ($(($(now) - t0)) s)"
