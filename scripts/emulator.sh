#!/bin/sh
# Stage emulator: Bochs 3.0 from Debian's source (emulator/pin) with the
# patch queue emulator/patches/*.patch (SEAMCALL to an emulated P-SEAMLDR,
# the SEAMRET quirk as a CPU setting, the CPU's record of active VMCSs),
# built headless into build/emulator/bin/bochs.
#  - the orig tarball comes through a private deb-src list for the pinned
#    suite (never /etc/apt) and stays in the cache, so a clean clone
#    reuses it; its sha256 is checked every time it is used;
#  - the build is skipped while build/emulator/bin/bochs exists and
#    build/emulator/stamp records the same tarball sha256, patch sums and
#    configure line; when any of them changes the source is unpacked
#    afresh, patched, configured and built (ccache makes that cheap).
# One progress line per step; full logs in build/emulator/*.log.
. "$(dirname "$0")/../scripts/lib.sh"
set -e
# shellcheck disable=SC1091 # emulator/pin: EMU_* assignments only
. "$top/emulator/pin"
e=$top/build/emulator
tarball=$cache/$EMU_TARBALL
t0=$(now)

# Debian's own configure line (debian/rules of bochs 3.0+dfsg-1) minus
# GUIs, devices, plugins and the debugger; plus AMX and UINTR, which
# Debian enables and the sapphire_rapids model uses.
confopts="--enable-x86-64 --enable-smp --enable-vmx=2 --enable-cpu-level=6
	--enable-all-optimizations --enable-avx --enable-evex --enable-amx
	--enable-uintr --enable-pci --enable-a20-pin --enable-fpu --enable-cdrom
	--enable-memtype --enable-protection-keys --enable-cet
	--enable-repeat-speedups --with-nogui --with-term=no"

# Build dependencies: bookworm packages only.
missing=
for p in g++ make patch xz-utils ccache apt debian-archive-keyring ca-certificates; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "emulator: missing Debian packages; as root run:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	echo "emulator: installing$missing"
	# shellcheck disable=SC2086 # one package a word
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
		die "apt-get install failed for:$missing"
fi

sha() { sha256sum "$1" | cut -d' ' -f1; }
mkdir -p "$e" "$cache"

# 1. The orig tarball.
if [ ! -f "$tarball" ] || [ "$(sha "$tarball")" != "$EMU_SHA256" ]; then
	rm -f "$tarball"
	a=$e/apt
	rm -rf "$a/dl"
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/dl"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $EMU_MIRROR $EMU_SUITE main" >"$a/sources.list"
	aptopt="-o Dir::Etc::sourcelist=$a/sources.list -o Dir::Etc::sourceparts=/dev/null
		-o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
		-o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts=/dev/null
		-o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root"
	echo "emulator: apt-get update (private deb-src list: $EMU_SUITE)"
	# shellcheck disable=SC2086
	apt-get -q $aptopt update >"$e/fetch.log" 2>&1 ||
		{ tail -5 "$e/fetch.log" >&2; die "apt-get update failed (build/emulator/fetch.log)"; }
	echo "emulator: downloading $EMU_PACKAGE=$EMU_VERSION source"
	# The .dsc is not served here, so apt exits non-zero; what counts is
	# whether the orig tarball arrived with the pinned sha256.
	# shellcheck disable=SC2086
	(cd "$a/dl" && apt-get -q $aptopt source --download-only "$EMU_PACKAGE=$EMU_VERSION") >>"$e/fetch.log" 2>&1 || true
	[ -f "$a/dl/$EMU_TARBALL" ] || { tail -5 "$e/fetch.log" >&2; die "$EMU_TARBALL did not download (build/emulator/fetch.log)"; }
	got=$(sha "$a/dl/$EMU_TARBALL")
	size=$(stat -c %s "$a/dl/$EMU_TARBALL")
	if [ "$got" != "$EMU_SHA256" ] || [ "$size" != "$EMU_SIZE" ]; then
		echo "emulator: $EMU_TARBALL does not match emulator/pin:" >&2
		echo "emulator:   pinned   $EMU_SHA256 ($EMU_SIZE bytes)" >&2
		echo "emulator:   download $got ($size bytes)" >&2
		exit 1
	fi
	mv "$a/dl/$EMU_TARBALL" "$tarball"
	rm -rf "$a/dl"
fi

# 2. Skip everything if the installed binary is of these inputs.
patches=$(ls "$top"/emulator/patches/*.patch 2>/dev/null || true)
want=$( {
	echo "tarball $EMU_SHA256"
	for p in $patches; do sha256sum "$p"; done | sed "s|  $top/|  |"
	# shellcheck disable=SC2086 # one option a word, as configure gets them
	echo "configure CC=ccache gcc CXX=ccache g++" $confopts
} )
if [ -x "$e/bin/bochs" ] && [ "$(cat "$e/stamp" 2>/dev/null)" = "$want" ]; then
	echo "emulator: build/emulator/bin/bochs is up to date ($(echo "$patches" | grep -c . || true) patches)"
	exit 0
fi
rm -f "$e/stamp"

# 3. Unpack afresh and patch.
echo "emulator: unpacking $EMU_TARBALL into build/emulator/src"
rm -rf "$e/src"
mkdir -p "$e/src"
tar -xJf "$tarball" -C "$e/src" --strip-components=1 --no-same-owner
: >"$e/patch.log"
for p in $patches; do
	echo "emulator: applying ${p#"$top"/}"
	(cd "$e/src" && patch -p1 --no-backup-if-mismatch <"$p") >>"$e/patch.log" 2>&1 ||
		{ tail -5 "$e/patch.log" >&2; die "${p#"$top"/} does not apply (build/emulator/patch.log)"; }
done

# 4. Configure and build.
echo "emulator: configure (build/emulator/configure.log)"
# shellcheck disable=SC2086 # one option a word
(cd "$e/src" && nice -n 10 ./configure CC="ccache gcc" CXX="ccache g++" $confopts) >"$e/configure.log" 2>&1 ||
	{ tail -5 "$e/configure.log" >&2; die "configure FAILED (build/emulator/configure.log)"; }
echo "emulator: make -j2 (build/emulator/make.log)"
mt=$(now)
(cd "$e/src" && nice -n 10 make -j2) >"$e/make.log" 2>&1 ||
	{ grep -E 'error' "$e/make.log" | head -10 >&2; die "make FAILED (build/emulator/make.log)"; }
mkdir -p "$e/bin"
install -m 0755 "$e/src/bochs" "$e/bin/bochs"
printf '%s\n' "$want" >"$e/stamp"
echo "emulator: build/emulator/bin/bochs ready (make $(($(now) - mt)) s, $(($(now) - t0)) s in all)"
