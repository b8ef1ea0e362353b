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
# login and no getty runs; then (BOOT_TEST_UPDATE=1, default) that the signed bundle on an
# update stick installs into slot B and is committed after the health check. Prints the
# boot-to-ready and boot-to-healthy times.
set -euo pipefail

IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

image="${1:-$IMAGE_DIR/build/image-amd64/kiosk-amd64.img}"
[ -f "$image" ] || die "no image at $image (run: kiosk-image/build.sh --arch amd64)"
update="${BOOT_TEST_UPDATE:-1}"
bundle="${BOOT_TEST_BUNDLE:-${image%.img}.raucb}"
timeout_s="${BOOT_TIMEOUT:-$([ "$update" = 1 ] && echo 2400 || echo 900)}"
apt_ensure ovmf mtools dosfstools e2fsprogs rauc
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

# The update phase (BOOT_TEST_UPDATE=1, the default): a second disk labelled KIOSKUPDATE
# holds the image's own signed bundle, like a USB stick. The kiosk installs it into slot B,
# reboots into a trial of B, kiosk-mark-good commits B after /healthz answers 200, and the
# second boot report must say slot=B primary=B trial=no.
# The rollback phase (BOOT_TEST_ROLLBACK=1, the default with the update phase): the same
# disk boots again with a stick holding a validly signed bundle whose kiosk never starts;
# it installs into slot A, the trial of A never gets healthy, kiosk-mark-good marks A bad
# after its 300 s and reboots, and slot B must come back as the default.
make_stick() { # bundle stick-image
    local stick_mb=$(( $(stat -c %s "$1") / 1048576 + 64 ))
    rm -f "$2"
    mkfs.vfat -F 32 -n KIOSKUPDATE -C "$2" $(( stick_mb * 1024 )) >/dev/null
    mcopy -i "$2" "$1" ::/kiosk-update.raucb
}

# A correctly signed bundle of this image in which /usr/bin/legal-kiosk exits at once.
make_broken_bundle() { # out
    local system="${image%/*}/work/system.ext4" content="$work/broken" compatible
    [ -f "$system" ] || die "the rollback phase needs $system (the image's build tree)"
    mkdir -p "$content"
    cp --sparse=always "$system" "$content/rootfs.ext4"
    printf '#!/bin/sh\necho "broken kiosk for the rollback test" >&2\nexit 1\n' > "$work/broken-kiosk"
    debugfs -w -R "rm /usr/bin/legal-kiosk" "$content/rootfs.ext4" >/dev/null 2>&1
    debugfs -w -R "write $work/broken-kiosk /usr/bin/legal-kiosk" "$content/rootfs.ext4" >/dev/null 2>&1
    debugfs -w -R "sif /usr/bin/legal-kiosk mode 0100755" "$content/rootfs.ext4" >/dev/null 2>&1
    compatible="$(debugfs -R "cat /etc/legal-kiosk-image" "$content/rootfs.ext4" 2>/dev/null | sed -n 's/^COMPATIBLE=//p')"
    printf '[update]\ncompatible=%s\nversion=rollback-test\n\n[bundle]\nformat=verity\n\n[image.rootfs]\nfilename=rootfs.ext4\n' \
        "$compatible" > "$content/manifest.raucm"
    rauc bundle --cert="$(rauc_cert)" --key="$(rauc_key)" "$content" "$1" >/dev/null 2>&1 \
        || die "cannot sign the rollback-test bundle with $(rauc_key)"
    rm -rf "$content"
}

# KVM only on request (BOOT_TEST_ACCEL=kvm): nested KVM on CI VMs is often broken; TCG is
# slower but always works.
accel=(-machine q35 -cpu max)
[ "${BOOT_TEST_ACCEL:-tcg}" = kvm ] && accel=(-machine "q35,accel=kvm" -cpu host)

# Boots the disk (with the stick image, if given) and leaves QEMU running; serial to $serial.
boot_vm() { # [stick-image]
    local drives=(-drive "if=virtio,format=raw,file=$work/disk.img") reboot_flag=(-no-reboot)
    if [ -n "${1:-}" ]; then
        drives+=(-drive "if=virtio,format=raw,readonly=on,file=$1")
        reboot_flag=()
    fi
    log "booting $image in QEMU (serial log: $serial)"
    start=$(date +%s)
    qemu-system-x86_64 "${accel[@]}" -m 1536 -smp 2 -nodefaults "${reboot_flag[@]}" \
        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
        -drive if=pflash,format=raw,file="$work/vars.fd" \
        "${drives[@]}" \
        -device virtio-gpu-pci -display none \
        -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
        -serial "file:$serial" &
    qemu_pid=$!
}

# Waits until the serial log has N lines matching PATTERN (default: boot reports); prints
# the N-th.
wait_for() { # n [pattern]
    local pattern="${2:-KIOSK-BOOT-REPORT.*}" found
    while [ $(( $(date +%s) - start )) -lt "$timeout_s" ]; do
        found="$(grep -a -o "$pattern" "$serial" 2>/dev/null | sed -n "${1}p" || true)"
        [ -n "$found" ] && { echo "$found"; return 0; }
        kill -0 "$qemu_pid" 2>/dev/null || return 0
        sleep 2
    done
}
finish() { # name of the kept log
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    mkdir -p "$IMAGE_DIR/build"
    cp "$serial" "$IMAGE_DIR/build/$1"
}

serial="$work/serial.log"
stick=""
if [ "$update" = 1 ]; then
    [ -f "$bundle" ] || die "no bundle at $bundle (BOOT_TEST_UPDATE=0 skips the update phase)"
    stick="$work/stick.img"
    make_stick "$bundle" "$stick"
fi
boot_vm "$stick"
report="$(wait_for 1)"
elapsed=$(( $(date +%s) - start ))
if [ -z "$report" ]; then
    finish boot-test-serial.log
    tail -40 "$serial" >&2
    die "no KIOSK-BOOT-REPORT on the serial console within ${timeout_s}s (log: kiosk-image/build/boot-test-serial.log)"
fi
echo "$report"

failures=0
expect_field() { # name expected [report]
    local value
    local line="$report"
    [ $# -ge 3 ] && line="$3"
    value="$(echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p")"
    if [ "$value" = "$2" ]; then
        echo "PASS $1=$value"
    else
        echo "FAIL $1=$value (expected $2)"
        failures=$(( failures + 1 ))
    fi
}
expect_log() { # description pattern
    if grep -aq -- "$2" "$serial"; then
        echo "PASS $1"
    else
        echo "FAIL $1"
        failures=$(( failures + 1 ))
    fi
}
expect_field slot A
expect_field provisioned yes
expect_field kiosk active
expect_field health 200
expect_field root ro
expect_field data rw
expect_field kiosk_shell /usr/sbin/nologin
expect_field kiosk_login refused
expect_field getty_tty1 inactive
expect_log "provisioning message on the console" 'kiosk-provision: provisioned kiosk BOOT-TEST-01'

if [ "$update" = 1 ]; then
    second="$(wait_for 2)"
    update_elapsed=$(( $(date +%s) - start - elapsed ))
    [ -n "$second" ] && wait_for 1 'KIOSK-USB-UPDATE result=skipped' >/dev/null
    finish boot-test-serial.log
    echo "${second:-no second KIOSK-BOOT-REPORT}"
    expect_log "the update stick was installed" 'KIOSK-USB-UPDATE result=installing'
    expect_field slot B "$second"
    expect_field primary B "$second"
    expect_field trial no "$second"
    expect_field kiosk active "$second"
    expect_field health 200 "$second"
    expect_field root ro "$second"
    expect_log "slot B marked good after the health check" 'kiosk-mark-good: slot B is healthy'
    expect_log "the stick is not installed twice" 'KIOSK-USB-UPDATE result=skipped'
    echo "update_to_second_report: ${update_elapsed} s (install, reboot, trial boot, mark-good)"
else
    finish boot-test-serial.log
fi
if [ "$update" = 1 ] && [ "${BOOT_TEST_ROLLBACK:-1}" = 1 ]; then
    make_broken_bundle "$work/broken.raucb"
    make_stick "$work/broken.raucb" "$stick"
    rm -f "$work/broken.raucb"
    serial="$work/serial-rollback.log"
    boot_vm "$stick"
    # Boot on B, install into A, trial of A (unhealthy for 300 s), back on B.
    back="$(wait_for 2 'KIOSK-BOOT-REPORT.*slot=B.*')"
    rollback_elapsed=$(( $(date +%s) - start ))
    finish boot-test-rollback-serial.log
    echo "${back:-no KIOSK-BOOT-REPORT after the rollback}"
    expect_log "the broken bundle was installed into slot A" 'KIOSK-USB-UPDATE result=installing'
    expect_log "the trial of slot A was rolled back" 'kiosk-mark-good: slot A never became healthy; rolling back'
    expect_field slot B "$back"
    expect_field primary B "$back"
    expect_field trial no "$back"
    expect_field kiosk active "$back"
    expect_field health 200 "$back"
    echo "rollback_round_trip: ${rollback_elapsed} s (boot, install, trial boot, ${KIOSK_HEALTH_TIMEOUT:-300} s health wait, reboot)"
fi
echo "boot_to_report: ${elapsed} s (wall clock, QEMU incl. firmware)"
echo "$report" | tr ' ' '\n' | sed -n 's/^ready_after_s=\(.*\)/kiosk_ready_after_kernel_start: \1 s/p'
echo "$report" | tr ' ' '\n' | sed -n 's/^healthy_after_s=\(.*\)/kiosk_healthy_after_kernel_start: \1 s (first \/healthz 200, about the first frame)/p'
echo "image_size: $(du -h --apparent-size "$image" | cut -f1) (allocated $(du -h "$image" | cut -f1))"
[ "$failures" = 0 ] || die "$failures boot-test assertion(s) failed"
log "boot test passed"
