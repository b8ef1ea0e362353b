#!/bin/bash
# The signed RAUC update bundle of this build: the system slot image (kernel inside),
# installable into the inactive slot of any kiosk with the same `compatible`.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

apt_ensure squashfs-tools
content="$WORK/bundle"
bundle="$OUT/kiosk-$ARCH.raucb"
rm -rf "$content" "$bundle"
mkdir -p "$content"
cp --sparse=always "$WORK/system.ext4" "$content/rootfs.ext4"
cat > "$content/manifest.raucm" <<MANIFEST
[update]
compatible=$COMPATIBLE
version=$IMAGE_VERSION
build=$SOURCE_DATE_EPOCH
description=legal-kiosk system image ($ARCH)

[bundle]
format=verity

[image.rootfs]
filename=rootfs.ext4
MANIFEST
clamp_mtimes "$content"
rauc bundle --cert="$(rauc_cert)" --key="$(rauc_key)" "$content" "$bundle" >/dev/null
rauc info --keyring="$(rauc_keyring)" "$bundle" >/dev/null
log "bundle: $bundle (signature verified against $(rauc_keyring))"
