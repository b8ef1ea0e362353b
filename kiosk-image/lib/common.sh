# shellcheck shell=bash
# Shared helpers for the kiosk-image build steps. Sourced, never executed.

log() { printf '[kiosk-image] %s\n' "$*" >&2; }
die() { printf '[kiosk-image] error: %s\n' "$*" >&2; exit 1; }

require_root() {
    [ "$(id -u)" = 0 ] || die "this step needs root (mmdebstrap, binfmt, apt-get); run with sudo"
}

# Installs the named Debian packages that are not installed yet (idempotent).
apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed' \
            || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing host packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Reads a package list: strips comments and blank lines.
read_package_list() {
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$@"
}

# Debian architecture → Rust target triple.
rust_target_for_arch() {
    case "$1" in
        arm64) echo aarch64-unknown-linux-gnu ;;
        amd64) echo x86_64-unknown-linux-gnu ;;
        *) die "unknown architecture '$1' (use arm64 or amd64)" ;;
    esac
}

# Sets every file's mtime under a directory to SOURCE_DATE_EPOCH (reproducible images).
clamp_mtimes() {
    find "$1" -newermt "@$SOURCE_DATE_EPOCH" -print0 \
        | xargs -0r touch --no-dereference --date="@$SOURCE_DATE_EPOCH"
}

# RAUC signing material: supplied (RAUC_KEY/RAUC_CERT/RAUC_KEYRING) or the development pair.
rauc_key() { echo "${RAUC_KEY:-$IMAGE_DIR/keys/dev/signing.key.pem}"; }
rauc_cert() { echo "${RAUC_CERT:-$IMAGE_DIR/keys/dev/signing.cert.pem}"; }
rauc_keyring() { echo "${RAUC_KEYRING:-$IMAGE_DIR/keys/dev/keyring.pem}"; }
