#!/bin/sh
# fresh-machine.sh [--check]: the README's two commands on a fresh Debian 12.
# Makes a minimal bookworm root with mmdebstrap (minbase, plus only git and
# make: the README's one prerequisite), clones the committed HEAD of this
# repo into it, and runs 'make' there, or 'make check' with --check, as
# root in a chroot with its own empty home (so no cache, no package
# installed by hand here), printing each step's and each stage's wall time.
# Packages installed on this machine hide missing install steps; this
# doesn't.  Needs root; installs mmdebstrap (Debian's) if missing.  The
# root is build/fresh/root, removed at the start of the next run.
. "$(dirname "$0")/../scripts/lib.sh"
goal=all
case ${1:-} in
--check) goal=check ;;
"") ;;
*) die "usage: fresh-machine.sh [--check]" ;;
esac
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap, chroot, mounts)"
fresh=$top/build/fresh root=$top/build/fresh/root
t0=$(now)
step() { echo "fresh: $1 ($(($(now) - $2)) s)"; }

command -v mmdebstrap >/dev/null ||
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null ||
		die "can't install mmdebstrap"; }

umount_all() {
	for m in dev/pts dev sys proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	return 0
}
umount_all
rm -rf "$fresh"
mkdir -p "$fresh"
trap umount_all EXIT INT TERM

t=$(now)
mmdebstrap --variant=minbase --include=git,make bookworm "$root" \
	http://deb.debian.org/debian >"$fresh/mmdebstrap.log" 2>&1 ||
	{ tail -20 "$fresh/mmdebstrap.log" >&2; die "mmdebstrap FAILED"; }
step "minimal Debian 12 root with git and make, $(du -sm "$root" | cut -f1) MB" "$t"

t=$(now)
git clone -q --no-local "$top" "$root/root/seamldr-vmcs" || die "git clone FAILED"
step "cloned $(git -C "$top" rev-parse --short HEAD) (committed work only)" "$t"
[ -z "$(git -C "$top" status --porcelain)" ] ||
	echo "fresh: note: uncommitted changes here are not in the clone"

cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

t=$(now)
echo "fresh: make $goal, as root in the chroot (log build/fresh/make.log)"
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	sh -c "cd /root/seamldr-vmcs && make $goal" >"$fresh/make.log" 2>&1
rc=$?
step "make $goal: exit $rc" "$t"
grep -E '^(deps.sh: installing|==> [a-z0-9-]+: FAILED|e2e: |check-harness: |[0-9]+ passed, [0-9]+ failed)' "$fresh/make.log" |
	sed 's/^/  | /'
sed -n '/^stage  *runs  *failed  *seconds$/,/^total /p' "$fresh/make.log" | sed 's/^/  | /'
[ $rc = 0 ] || { echo "fresh: last lines of the log:"; tail -30 "$fresh/make.log" | sed 's/^/  | /'; }
echo "fresh: total $(($(now) - t0)) s"
exit $rc
