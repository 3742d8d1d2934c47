#!/bin/sh
# deps.sh GROUP...: install the Debian packages a stage needs (as root), or
# print the apt-get line that would (as anyone else).  Groups: base build
# kunit e2e model docs harness.  Bookworm packages only: the newer suite is
# used by base.sh to download one .deb, never to install anything.
. "$(dirname "$0")/../scripts/lib.sh"
set -e

pkgs=
for g; do
	case $g in
	base)	pkgs="$pkgs apt debian-archive-keyring ca-certificates xz-utils git" ;;
	build)	pkgs="$pkgs gcc make flex bison bc libelf-dev libssl-dev cpio lz4 ccache perl python3 python3-ply python3-git rsync kmod" ;;
	kunit)	pkgs="$pkgs qemu-system-x86 python3 jq" ;;
	# The KVM selftests are linked statically (libc6-dev); the vfio library
	# they build includes uuid/uuid.h.
	e2e)	pkgs="$pkgs bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools busybox-static libc6-dev uuid-dev gnuplot-nox" ;;
	model)	pkgs="$pkgs spin gcc" ;;
	docs)	pkgs="$pkgs python3-sphinx python3-yaml graphviz make" ;;
	harness) pkgs="$pkgs perl jq shellcheck" ;;
	*)	die "unknown group '$g' (base build kunit e2e model docs harness)" ;;
	esac
done

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing Debian packages; as root run:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # one package a word
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	die "apt-get install failed for:$missing"
