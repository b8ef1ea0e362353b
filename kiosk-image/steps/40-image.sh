#!/bin/bash
# Assembles the disk image from the root filesystem, without loop devices or mounts:
#   GPT: 1 bootfs (FAT32, ESP type)  | 2 system_a (ext4, read-only root)
#        3 system_b (empty until the first update) | 4 data (ext4: /data)
# Filesystems are built from directories (mkfs.ext4 -d, mtools) with fixed UUIDs and
# timestamps from SOURCE_DATE_EPOCH, so the same inputs give the same image.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

rootfs="$WORK/rootfs"
bootfs="$WORK/bootfs"
data="$WORK/data"
img="$OUT/kiosk-$ARCH.img"
tools="$IMAGE_DIR/overlay/usr/lib/legal-kiosk"

# Deterministic identifiers derived from the version and partition name.
uuid_for() {
    printf '%s' "$IMAGE_VERSION/$1" | sha256sum \
        | sed -E 's/^(.{8})(.{4})(.{3})(.{3})(.{12}).*/\1-\2-4\3-8\4-\5/'
}
export E2FSPROGS_FAKE_TIME="$SOURCE_DATE_EPOCH"

# --- boot partition: firmware or boot loader, slot A's kernel, the provisioning example ---
rm -rf "$bootfs" "$data"
mkdir -p "$bootfs" "$data/boot"
case "$ARCH" in
    amd64)
        install -D -m 0644 "$rootfs/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$bootfs/EFI/BOOT/BOOTX64.EFI"
        install -D -m 0644 "$rootfs/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$bootfs/EFI/systemd/systemd-bootx64.efi"
        mkdir -p "$bootfs/loader/entries"
        # No menu, no command-line editor: the kiosk boots its default slot.
        printf 'timeout 0\neditor no\nconsole-mode keep\nauto-entries no\nauto-firmware no\n' > "$bootfs/loader/loader.conf"
        ;;
    arm64)
        cp -r "$rootfs/usr/lib/raspi-firmware/." "$bootfs/"
        cat > "$bootfs/config.txt" <<CONFIG
# Raspberry Pi 4/5 firmware configuration of the legal kiosk. The slot block at the end is
# managed by kiosk-bootchooser (A/B with tryboot).
[all]
arm_64bit=1
upstream_kernel=1
kernel=vmlinuz
initramfs initrd.img followkernel
cmdline=cmdline.txt
enable_uart=1
disable_overscan=1
disable_splash=1
disable_fw_kms_setup=1
CONFIG
        ;;
esac
"$tools/kiosk-boot-install" --arch "$ARCH" --slot A --rootfs "$rootfs" --bootfs "$bootfs"
KIOSK_BOOTFS="$bootfs" KIOSK_BOOT_STATE="$data/boot" "$tools/kiosk-bootchooser" init A
cp "$IMAGE_DIR/config/kiosk-provision.example.toml" "$bootfs/"
clamp_mtimes "$bootfs"

# --- system slot A: the root filesystem without /boot/firmware contents ---
log "building the system slot (ext4, ${SLOT_SIZE_MB} MiB)"
clamp_mtimes "$rootfs"
rm -f "$WORK/system.ext4"
mkfs.ext4 -q -F -L system -U "$(uuid_for system)" -E "hash_seed=$(uuid_for hash),root_owner=0:0" \
    -O ^has_journal -m 0 -d "$rootfs" "$WORK/system.ext4" "${SLOT_SIZE_MB}M"
# The slot is what RAUC bundles contain; keep a copy for 50-bundle.sh.

# --- data partition skeleton (kiosk-owned data, root-owned config) ---
kiosk_uid="$(awk -F: '$1 == "kiosk" { print $3 }' "$rootfs/etc/passwd")"
kiosk_gid="$(awk -F: '$1 == "kiosk" { print $4 }' "$rootfs/etc/passwd")"
journal_gid="$(awk -F: '$1 == "systemd-journal" { print $3 }' "$rootfs/etc/group")"
mkdir -p "$data/etc/legal-kiosk/wifi" "$data/legal-kiosk/tls" "$data/log/journal" "$data/systemd" "$data/rauc"
chmod 0700 "$data/legal-kiosk" "$data/etc/legal-kiosk/wifi"
chown "$kiosk_uid:$kiosk_gid" "$data/legal-kiosk" "$data/legal-kiosk/tls"
chown "root:$journal_gid" "$data/log/journal"
chmod 2755 "$data/log/journal"
clamp_mtimes "$data"
rm -f "$WORK/data.ext4"
mkfs.ext4 -q -F -L data -U "$(uuid_for data)" -E "hash_seed=$(uuid_for data-hash)" \
    -d "$data" "$WORK/data.ext4" "${DATA_SIZE_MB}M"

rm -f "$WORK/bootfs.vfat"
mkfs.vfat -F 32 -n BOOTFS -i "$(uuid_for bootfs | cut -c1-8)" -C "$WORK/bootfs.vfat" $(( BOOTFS_SIZE_MB * 1024 )) >/dev/null
mcopy -s -p -m -i "$WORK/bootfs.vfat" "$bootfs"/* ::/

# --- the disk: GPT with fixed identifiers ---
log "assembling $img"
total_mb=$(( 1 + BOOTFS_SIZE_MB + 2 * SLOT_SIZE_MB + DATA_SIZE_MB + 1 ))
rm -f "$img"
truncate -s "${total_mb}M" "$img"
sfdisk --quiet --wipe always "$img" <<LAYOUT
label: gpt
label-id: $(uuid_for disk)
first-lba: 2048
start=1MiB, size=${BOOTFS_SIZE_MB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=bootfs, uuid=$(uuid_for part-bootfs)
size=${SLOT_SIZE_MB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=system_a, uuid=$(uuid_for part-system_a)
size=${SLOT_SIZE_MB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=system_b, uuid=$(uuid_for part-system_b)
size=${DATA_SIZE_MB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data, uuid=$(uuid_for part-data)
LAYOUT
write_at() { # file offset_mib
    dd if="$1" of="$img" bs=1M seek="$2" conv=notrunc,sparse status=none
}
write_at "$WORK/bootfs.vfat" 1
write_at "$WORK/system.ext4" $(( 1 + BOOTFS_SIZE_MB ))
write_at "$WORK/data.ext4" $(( 1 + BOOTFS_SIZE_MB + 2 * SLOT_SIZE_MB ))
log "image: $img ($(du -h --apparent-size "$img" | cut -f1), $(du -h "$img" | cut -f1) allocated)"
