#!/bin/bash
# Boot test of the x86-64 image in QEMU (make image-test; not part of every CI run).
#
#   kiosk-image/tests/boot-test.sh [IMAGE]
#
# Copies the image, puts a test provisioning file (devices "none", loopback case system,
# software renderer) on its boot partition, boots it with OVMF and a virtio GPU (so
# /dev/dri/card0 exists for linuxkms-software), no display, serial console to a log, and
# asserts from the console: provisioning ran, the kiosk service is active, /healthz
# answered 200, the root is read-only, the data partition writable, the kiosk user has no
# login and no getty runs. Prints the boot-to-ready time.
set -euo pipefail

IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

image="${1:-$IMAGE_DIR/build/image-amd64/kiosk-amd64.img}"
[ -f "$image" ] || die "no image at $image (run: kiosk-image/build.sh --arch amd64)"
timeout_s="${BOOT_TIMEOUT:-900}"
apt_ensure ovmf mtools
command -v qemu-system-x86_64 >/dev/null || apt_ensure qemu-system-x86

work="$(mktemp -d /var/tmp/kiosk-boot-test.XXXXXX)"
trap 'kill "${qemu_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp --sparse=always "$image" "$work/disk.img"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"

# The boot partition starts at 1 MiB (steps/40-image.sh).
boot="$work/disk.img@@1M"
cat > "$work/kiosk-provision.toml" <<'TOML'
[kiosk]
id = "BOOT-TEST-01"
hall = "启动测试厅"
hall_en = "Boot test hall"
orientation = "landscape"

[display]
rotation = 0
renderer = "software"

[case_system]
base_url = "http://127.0.0.1:8480"
TOML
mcopy -o -i "$boot" "$work/kiosk-provision.toml" ::/kiosk-provision.toml

# KVM only on request (BOOT_TEST_ACCEL=kvm): nested KVM on CI VMs is often broken; TCG is
# slower but always works.
accel=(-machine q35 -cpu max)
[ "${BOOT_TEST_ACCEL:-tcg}" = kvm ] && accel=(-machine "q35,accel=kvm" -cpu host)
log "booting $image in QEMU (serial log: $work/serial.log)"
start=$(date +%s)
qemu-system-x86_64 "${accel[@]}" -m 1536 -smp 2 -nodefaults -no-reboot \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$work/vars.fd" \
    -drive if=virtio,format=raw,file="$work/disk.img" \
    -device virtio-gpu-pci -display none \
    -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
    -serial "file:$work/serial.log" &
qemu_pid=$!

report=""
while [ $(( $(date +%s) - start )) -lt "$timeout_s" ]; do
    report="$(grep -a -o 'KIOSK-BOOT-REPORT.*' "$work/serial.log" 2>/dev/null | head -1 || true)"
    [ -n "$report" ] && break
    kill -0 "$qemu_pid" 2>/dev/null || break
    sleep 2
done
elapsed=$(( $(date +%s) - start ))
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
mkdir -p "$IMAGE_DIR/build"
cp "$work/serial.log" "$IMAGE_DIR/build/boot-test-serial.log"
if [ -z "$report" ]; then
    tail -40 "$work/serial.log" >&2
    die "no KIOSK-BOOT-REPORT on the serial console within ${timeout_s}s (log: kiosk-image/build/boot-test-serial.log)"
fi
echo "$report"

failures=0
expect_field() { # name expected
    local value
    value="$(echo "$report" | tr ' ' '\n' | sed -n "s/^$1=//p")"
    if [ "$value" = "$2" ]; then
        echo "PASS $1=$value"
    else
        echo "FAIL $1=$value (expected $2)"
        failures=$(( failures + 1 ))
    fi
}
expect_field provisioned yes
expect_field kiosk active
expect_field health 200
expect_field root ro
expect_field data rw
expect_field kiosk_shell /usr/sbin/nologin
expect_field kiosk_login refused
expect_field getty_tty1 inactive
if grep -aq 'kiosk-provision: provisioned kiosk BOOT-TEST-01' "$work/serial.log"; then
    echo "PASS provisioning message on the console"
else
    echo "FAIL no provisioning message on the console"
    failures=$(( failures + 1 ))
fi
echo "boot_to_report: ${elapsed} s (wall clock, QEMU incl. firmware)"
echo "$report" | tr ' ' '\n' | sed -n 's/^ready_after_s=/kiosk_ready_after_kernel_start: /p'
echo "image_size: $(du -h --apparent-size "$image" | cut -f1) (allocated $(du -h "$image" | cut -f1))"
[ "$failures" = 0 ] || die "$failures boot-test assertion(s) failed"
log "boot test passed"
