#!/bin/bash
# The target's libraries for a cross build: a Debian sysroot of the image's suite and
# architecture with the -dev packages the kiosk links against, unpacked by mmdebstrap
# (variant "extract": no maintainer scripts, so no emulation and nothing installed on the
# host). Prints the sysroot's path. Reused while the package list is unchanged.
#
# Why not `dpkg --add-architecture arm64` on the host: multiarch -dev packages must have
# exactly the host's versions, and a host with newer libraries (backports) would have to
# change its own system packages to match.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

# What `--features device` links: libinput + libudev + xkbcommon (input), GBM (KMS buffers),
# fontconfig (fonts), pcsc-lite (ID cards); libc6-dev for the C runtime.
packages="libc6-dev,libgcc-12-dev,libinput-dev,libudev-dev,libxkbcommon-dev,libgbm-dev,libdrm-dev,libfontconfig-dev,libfreetype-dev,libpcsclite-dev,libegl-dev"
sysroot="$IMAGE_DIR/build/sysroot-$ARCH"
stamp="$sysroot/.kiosk-sysroot"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$SUITE $packages" ]; then
    log "reusing the $ARCH sysroot ${sysroot#"$IMAGE_DIR"/}"
else
    log "unpacking the $ARCH sysroot (${packages//,/ })"
    rm -rf "$sysroot"
    mkdir -p "$(dirname "$sysroot")"
    mmdebstrap --mode=root --variant=extract --architectures="$ARCH" \
        --include="$packages" \
        "$SUITE" "$sysroot" \
        "deb $MIRROR $SUITE main" \
        "deb $MIRROR $SUITE-updates main" \
        "deb $SECURITY_MIRROR $SUITE-security main" >&2
    # Absolute symlinks (libfoo.so -> /lib/...) must resolve inside the sysroot.
    find "$sysroot" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
        ln -sfn "$sysroot$(readlink "$link")" "$link"
    done
    echo "$SUITE $packages" > "$stamp"
fi
echo "$sysroot"
