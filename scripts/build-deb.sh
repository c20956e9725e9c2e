#!/bin/sh
# Builds the Debian package from debian/ in a copy of the tree (dpkg-
# buildpackage writes beside its source tree), into build/deb/.
# build-deb.sh arm64: the arm64 package, cross-built (make cross-arm64
# installs what it needs; build dependencies are then those of both arches).
set -eu
host_arch=${1:-}
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/sclens"
# the tracked files, as a release would have them
git ls-files -z | xargs -0 cp --parents -t "$work/sclens"
cd "$work/sclens"
dpkg-buildpackage -us -uc -b ${host_arch:+-a"$host_arch" -d} >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }
mkdir -p "$root/build/deb"
cp "$work"/sclens_*.deb "$root/build/deb/"
ls "$root"/build/deb/sclens_*.deb
