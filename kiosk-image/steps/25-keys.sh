#!/bin/bash
# The RAUC signing key and certificate. A real deployment supplies its own through
# RAUC_KEY / RAUC_CERT / RAUC_KEYRING (see keys/README.md); otherwise a development pair is
# generated once in keys/dev/ (git-ignored) and reused by later builds, so bundles from
# later builds install on images from earlier ones.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

dev_dir="$IMAGE_DIR/keys/dev"
if [ -n "${RAUC_KEY:-}" ]; then
    [ -f "${RAUC_CERT:-}" ] || [[ "${RAUC_KEY}" == pkcs11:* ]] || die "RAUC_KEY is set but RAUC_CERT is not a file"
    exit 0
fi
if [ ! -f "$dev_dir/signing.key.pem" ]; then
    log "no RAUC_KEY given: generating a DEVELOPMENT signing pair in $dev_dir (not for production)"
    mkdir -p "$dev_dir"
    chmod 700 "$dev_dir"
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -sha256 \
        -subj "/O=legal-kiosk development/CN=legal-kiosk development update signing" \
        -keyout "$dev_dir/signing.key.pem" -out "$dev_dir/signing.cert.pem" 2>/dev/null
    chmod 600 "$dev_dir/signing.key.pem"
    cp "$dev_dir/signing.cert.pem" "$dev_dir/keyring.pem"
fi
