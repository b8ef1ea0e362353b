#!/bin/bash
# mmdebstrap customize hook: turns the Debian root filesystem at $1 into the kiosk's
# read-only system slot. Runs outside the chroot; commands inside use `chroot`.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

root="$1"
in_root() { chroot "$root" "$@"; }

# The app, the overlay (units, udev rules, scripts), the RAUC configuration and keyring.
install -D -m 0755 "$BINARY" "$root/usr/bin/legal-kiosk"
cp -a --no-preserve=ownership "$IMAGE_DIR/overlay/." "$root/"
sed "s/@COMPATIBLE@/$COMPATIBLE/" "$IMAGE_DIR/overlay/etc/rauc/system.conf.in" > "$root/etc/rauc/system.conf"
rm "$root/etc/rauc/system.conf.in"
install -m 0644 "$(rauc_keyring)" "$root/etc/rauc/keyring.pem"
install -D -m 0644 "$IMAGE_DIR/README.md" "$root/usr/share/doc/legal-kiosk-image/README.md"
install -D -m 0644 "$IMAGE_DIR/config/kiosk-provision.example.toml" \
    "$root/usr/share/doc/legal-kiosk-image/kiosk-provision.example.toml"
cat > "$root/etc/legal-kiosk-image" <<INFO
IMAGE_VERSION=$IMAGE_VERSION
COMPATIBLE=$COMPATIBLE
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH
INFO

# The kiosk user: no shell, no password, no home of its own, only the device groups.
in_root useradd --system --user-group --home-dir /var/lib/legal-kiosk --no-create-home \
    --shell /usr/sbin/nologin --groups video,render,input,dialout,lp,plugdev kiosk
in_root passwd --lock kiosk >/dev/null
in_root passwd --lock root >/dev/null

# Read-only root: everything writable is on the data partition (/data) or tmpfs.
#   /etc/legal-kiosk     → /data/etc/legal-kiosk (kiosk.toml, kiosk.env, provisioned rules)
#   /var/lib/legal-kiosk → /data/legal-kiosk     (database, key file, identity, provisioning.log)
#   /var/log             ← /data/log (bind)       (the size-capped journal)
#   /var/lib/systemd     ← /data/systemd (bind)   (timers, random seed, clock)
mkdir -p "$root/data" "$root/boot/firmware"
rm -rf "$root/etc/legal-kiosk" "$root/var/lib/legal-kiosk"
ln -s /data/etc/legal-kiosk "$root/etc/legal-kiosk"
ln -s /data/legal-kiosk "$root/var/lib/legal-kiosk"
bootfs_type=vfat
cat > "$root/etc/fstab" <<FSTAB
# Root: read-only, mounted by the kernel from the slot named on the command line.
PARTLABEL=data      /data              ext4   defaults,noatime,nosuid,nodev,commit=5   0 2
PARTLABEL=bootfs    /boot/firmware     $bootfs_type   defaults,noatime,nosuid,nodev,noexec,umask=0077,flush   0 2
/data/log           /var/log           none   bind,x-systemd.requires-mounts-for=/data   0 0
/data/systemd       /var/lib/systemd   none   bind,x-systemd.requires-mounts-for=/data   0 0
tmpfs               /tmp               tmpfs  mode=1777,nosuid,nodev,size=25%   0 0
tmpfs               /var/tmp           tmpfs  mode=1777,nosuid,nodev,size=64M   0 0
tmpfs               /var/cache         tmpfs  mode=0755,nosuid,nodev,size=64M   0 0
FSTAB
# A transient machine id per boot (read-only root); the kiosk's identity is its kiosk id.
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
echo legal-kiosk > "$root/etc/hostname"
# Beijing time: receipts, the header clock and card expiry are judged on the local day
# (on UTC, from 00:00 to 08:00 they would carry yesterday's date).
ln -sf /usr/share/zoneinfo/Asia/Shanghai "$root/etc/localtime"
echo Asia/Shanghai > "$root/etc/timezone"

# Services: the kiosk and its helpers on; no login anywhere, no VT switching, no apt timers.
in_root systemctl enable legal-kiosk.service kiosk-provision.service kiosk-touch-rotation.service \
    kiosk-vt-lock.service kiosk-mark-good.service kiosk-boot-report.service \
    systemd-networkd.service systemd-timesyncd.service >/dev/null 2>&1
in_root systemctl mask getty@.service autovt@.service serial-getty@.service \
    console-getty.service container-getty@.service getty.target \
    apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
    systemd-firstboot.service ctrl-alt-del.target >/dev/null 2>&1
in_root systemctl set-default multi-user.target >/dev/null 2>&1
if [ -e "$root/lib/systemd/system/wpa_supplicant@.service" ]; then
    ln -sf /etc/legal-kiosk/wifi/wpa_supplicant-wlan0.conf "$root/etc/wpa_supplicant/wpa_supplicant-wlan0.conf"
    mkdir -p "$root/etc/systemd/system/wpa_supplicant@wlan0.service.d"
    cat > "$root/etc/systemd/system/wpa_supplicant@wlan0.service.d/kiosk.conf" <<UNIT
[Unit]
# Wi-Fi only when provisioning wrote a network.
ConditionPathExists=/etc/legal-kiosk/wifi/wpa_supplicant-wlan0.conf
After=kiosk-provision.service
UNIT
    in_root systemctl enable wpa_supplicant@wlan0.service >/dev/null 2>&1
fi

# Build leftovers out of the image.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/* "$root"/tmp/*
rm -f "$root/etc/ssh/ssh_host_"* "$root/var/cache/ldconfig/aux-cache"
