#!/bin/sh
# Install the Debian packages one pipeline stage needs: deps.sh GROUP...
# Groups: base build kunit e2e model docs.  Bookworm packages only: the newer
# suite is used by scripts/base.sh to download one .deb, never to install.
set -eu

pkgs=
for g in "$@"; do
	case $g in
	base)	pkgs="$pkgs apt ca-certificates xz-utils git" ;;
	build)	pkgs="$pkgs gcc make flex bison bc libelf-dev libssl-dev cpio lz4 ccache perl python3 python3-ply python3-git rsync kmod" ;;
	kunit)	pkgs="$pkgs qemu-system-x86 python3" ;;
	e2e)	pkgs="$pkgs bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools busybox-static libc6-dev" ;;
	model)	pkgs="$pkgs spin gcc" ;;
	docs)	pkgs="$pkgs python3-sphinx python3-yaml graphviz make" ;;
	*)	echo "deps.sh: unknown group '$g' (base build kunit e2e model docs)" >&2; exit 2 ;;
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
	echo "  apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; }
