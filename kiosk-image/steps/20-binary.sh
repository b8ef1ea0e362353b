#!/bin/bash
# Builds the production kiosk binary for the image's architecture and prints its path.
# Release mode, `--no-default-features --features device`: the DRM/KMS Slint backend and no
# simulators (a config naming a simulated driver is refused by this build).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

target="$(rust_target_for_arch "$ARCH")"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"
rustup target list --installed 2>/dev/null | grep -qx "$target" || rustup target add "$target" >&2

if [ "$ARCH" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
    # Cross build: the aarch64 gcc compiles C parts and links against the target's
    # libraries in a Debian arm64 sysroot (steps/15-sysroot.sh); pkg-config looks only there.
    sysroot="$("$IMAGE_DIR/steps/15-sysroot.sh")"
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=--sysroot=$sysroot"
    export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
    export CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
    export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
    export CFLAGS_aarch64_unknown_linux_gnu="--sysroot=$sysroot"
    export PKG_CONFIG_ALLOW_CROSS=1
    export PKG_CONFIG_LIBDIR="$sysroot/usr/lib/aarch64-linux-gnu/pkgconfig:$sysroot/usr/share/pkgconfig"
    export PKG_CONFIG_SYSROOT_DIR="$sysroot"
fi

# A native build keeps cargo's default layout (target/release), so it shares the cache
# with `cargo build --release` runs; a cross build lives under target/<triple>/release.
target_args=(--target "$target")
out_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/$target/release"
if [ "$target" = "$(rustc -vV | sed -n 's/^host: //p')" ]; then
    target_args=()
    out_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release"
fi
log "building legal-kiosk for $target (release, device backend, no simulators)"
(cd "$REPO_ROOT" && cargo build --release --locked "${target_args[@]}" \
    --no-default-features --features device >&2)
echo "$out_dir/legal-kiosk"
