#!/bin/sh
# Stage base: download the pinned linux-source .deb through a private apt
# list (never /etc/apt), check the tarball's sha256, unpack once into
# build/base/linux.  Later calls reuse the unpacked tree.  make passes
# OVERRIDE_VERSION and OVERRIDE_SHA256, empty unless given (base.pin).
. "$(dirname "$0")/../scripts/lib.sh"
set -e
. "$top/base.pin"
BASE_VERSION=${OVERRIDE_VERSION:-$BASE_VERSION}
BASE_SHA256=${OVERRIDE_SHA256:-$BASE_SHA256}
b=$top/build/base
deb=$cache/${BASE_PACKAGE}_$(echo "$BASE_VERSION" | sed 's/:/%3a/')_all.deb
t0=$(date +%s)

if [ -f "$b/linux/.unpacked" ] && [ "$(cat "$b/linux/.unpacked")" = "$BASE_SHA256" ]; then
	echo "base: $BASE_PACKAGE $BASE_VERSION already unpacked in build/base/linux"
	exit 0
fi
mkdir -p "$b/apt/lists/partial" "$b/apt/cache/archives/partial" "$cache"

if [ ! -f "$deb" ]; then
	: >"$b/apt/sources.list"
	for s in $BASE_SUITES; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BASE_MIRROR $s main" >>"$b/apt/sources.list"
	done
	aptopt="-o Dir::Etc::sourcelist=$b/apt/sources.list -o Dir::Etc::sourceparts=/dev/null
		-o Dir::State::Lists=$b/apt/lists -o Dir::Cache=$b/apt/cache
		-o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts=/dev/null
		-o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root"
	echo "base: apt-get update (private list: $BASE_SUITES)"
	# shellcheck disable=SC2086
	apt-get -q $aptopt update >"$b/apt/update.log" 2>&1 ||
		{ cat "$b/apt/update.log" >&2; echo "base: apt-get update failed" >&2; exit 1; }
	# shellcheck disable=SC2086
	if ! apt-cache $aptopt madison "$BASE_PACKAGE" | grep -q "| $BASE_VERSION |"; then
		echo "base: $BASE_PACKAGE $BASE_VERSION is not served any more. Versions served:" >&2
		# shellcheck disable=SC2086
		apt-cache $aptopt madison "$BASE_PACKAGE" >&2 || true
		echo "base: pin another one in base.pin, or for one run:" >&2
		echo "  make base OVERRIDE_VERSION=<version> OVERRIDE_SHA256=<sha256 of $BASE_TARBALL>" >&2
		exit 1
	fi
	echo "base: downloading $BASE_PACKAGE=$BASE_VERSION"
	# shellcheck disable=SC2086
	(cd "$cache" && apt-get -q $aptopt download "$BASE_PACKAGE=$BASE_VERSION" >/dev/null)
fi

rm -rf "$b/deb" "$b/linux"
mkdir -p "$b/deb"
echo "base: extracting $BASE_TARBALL"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$b/deb" "./$BASE_TARBALL"
sum=$(sha256sum "$b/deb/$BASE_TARBALL" | cut -d' ' -f1)
if [ "$sum" != "$BASE_SHA256" ]; then
	echo "base: sha256 mismatch for $BASE_TARBALL in $BASE_PACKAGE $BASE_VERSION" >&2
	echo "base:   pinned   $BASE_SHA256 (base.pin)" >&2
	echo "base:   download $sum" >&2
	echo "base: if the new tarball is trusted, update BASE_SHA256 in base.pin, or for one run:" >&2
	echo "  make base OVERRIDE_SHA256=$sum" >&2
	rm -f "$deb"
	exit 1
fi
mkdir -p "$b/linux"
echo "base: unpacking"
tar -xJf "$b/deb/$BASE_TARBALL" -C "$b/linux" --strip-components=1
rm -rf "$b/deb"
echo "$BASE_SHA256" >"$b/linux/.unpacked"
echo "base: $BASE_PACKAGE $BASE_VERSION ready in build/base/linux ($(($(date +%s) - t0)) s)"
