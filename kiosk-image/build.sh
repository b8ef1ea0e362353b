#!/bin/bash
# Builds the kiosk SD-card / disk image in one command.
#
#   kiosk-image/build.sh [--arch arm64|amd64] [--out DIR] [--binary PATH] [--skip-bundle]
#
# arm64 (default) is the Raspberry Pi 4/5 image; amd64 the x86-64 UEFI image for industrial
# PCs and the QEMU boot test. Steps (each in steps/): host packages, the kiosk binary
# (release, --features device, never simulators), the root filesystem (mmdebstrap), the disk
# image (GPT: bootfs | system_a | system_b | data) and a signed RAUC bundle. Outputs in
# --out (default kiosk-image/build/image-<arch>/): kiosk-<arch>.img, kiosk-<arch>.raucb, manifest,
# SHA256SUMS. Settings: config/image.conf. Needs root (mmdebstrap, binfmt, apt-get).
set -euo pipefail

IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$IMAGE_DIR/.." && pwd)"
export IMAGE_DIR REPO_ROOT
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

ARCH=arm64
OUT=""
BINARY=""
SKIP_BUNDLE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) ARCH="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --binary) BINARY="$2"; shift 2 ;;
        --skip-bundle) SKIP_BUNDLE=1; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
rust_target_for_arch "$ARCH" >/dev/null
OUT="${OUT:-$IMAGE_DIR/build/image-$ARCH}"
WORK="$OUT/work"
export ARCH OUT WORK BINARY

# shellcheck source=config/image.conf
. "$IMAGE_DIR/config/image.conf"
export SUITE MIRROR SECURITY_MIRROR BOOTFS_SIZE_MB SLOT_SIZE_MB DATA_SIZE_MB IMAGE_VERSION
export SOURCE_DATE_EPOCH
COMPATIBLE="$(compatible_for_arch "$ARCH")"
export COMPATIBLE

require_root
mkdir -p "$OUT" "$WORK"
log "building $COMPATIBLE $IMAGE_VERSION (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH) into $OUT"

"$IMAGE_DIR/steps/10-host-deps.sh"
"$IMAGE_DIR/steps/25-keys.sh"
if [ -z "$BINARY" ]; then
    BINARY="$("$IMAGE_DIR/steps/20-binary.sh")"
fi
export BINARY
"$IMAGE_DIR/steps/30-rootfs.sh"
"$IMAGE_DIR/steps/40-image.sh"
if [ "$SKIP_BUNDLE" = 0 ]; then
    "$IMAGE_DIR/steps/50-bundle.sh"
fi
(
    cd "$OUT"
    shopt -s nullglob
    sha256sum -- *.img *.raucb manifest-*.txt > SHA256SUMS
)
log "done:"
cat "$OUT/SHA256SUMS" >&2
