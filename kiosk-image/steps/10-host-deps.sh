#!/bin/bash
# Host packages for building the image (idempotent), binfmt for foreign-architecture
# chroots and, for arm64, the cross toolchain.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

apt_ensure mmdebstrap arch-test e2fsprogs dosfstools mtools fdisk rauc openssl \
    python3 zstd

if [ "$ARCH" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ]; then
    # The arm64 root filesystem's maintainer scripts run under qemu-user (binfmt); the
    # kiosk binary is cross-compiled against an arm64 sysroot (steps/15-sysroot.sh), so
    # the host's own libraries stay untouched (no multiarch).
    apt_ensure qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
        apt_ensure binfmt-support
        update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
    fi
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] \
        || die "qemu-aarch64 binfmt is not registered (is binfmt_misc mounted?)"
fi
