#!/bin/sh
# The image's base root file system: Debian stable from Debian's registry, with a kernel,
# systemd (networkd, resolved for mDNS, timesyncd), openssh-server and sudo, and little else.
# Nothing of Cartable's own goes in here (image/build.sh lays in rootfs-overlay/ and the
# binary), so this stage is cached by image/build.sh and redone only when this file changes.
#
#   sh image/base.sh ARCH ROOT CACHE     ARCH: x86_64 or arm64; ROOT: an empty folder;
#                                        CACHE: a folder kept between runs for the .debs
# Environment: DEBIAN_SUITE (trixie), DEBIAN_MIRROR (http://deb.debian.org/debian).
#
# As root (debootstrap and chroot). arm64 runs its package scripts under qemu-user through
# binfmt_misc (qemu-user-static); image/build.sh checks that first. The kernel is left out of
# debootstrap and installed last, once initramfs-tools is told to take only the modules listed
# below (MODULES=list): building a "most" initrd under emulation is what makes an arm64
# bootstrap slow (22 minutes down to about 5).
set -eu

arch=$1
root=$2
cache=$3
suite=${DEBIAN_SUITE:-trixie}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

case "$arch" in
x86_64) debarch=amd64 kernel=linux-image-amd64 ;;
arm64) debarch=arm64 kernel=linux-image-arm64 ;;
*) echo "base.sh: ARCH must be x86_64 or arm64, not '$arch'" >&2; exit 2 ;;
esac

packages=systemd,systemd-sysv,udev,dbus,systemd-resolved,systemd-timesyncd
packages=$packages,openssh-server,sudo,kmod,initramfs-tools,zstd,e2fsprogs,dosfstools,fdisk
packages=$packages,tzdata,procps,iproute2

mkdir -p "$cache/debs-$debarch"
echo "base: debootstrap $suite ($debarch) from $mirror"
debootstrap --arch="$debarch" --variant=minbase --components=main --include="$packages" \
    --cache-dir="$(realpath "$cache/debs-$debarch")" "$suite" "$root" "$mirror"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

# No documentation, manual pages or translations in what is installed from here on (and what
# debootstrap put there is removed below); copyright files stay.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-cartable-nodoc" <<'EOF'
# Cartable image: no documentation, manual pages or translations (copyright files stay).
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
EOF
cat >"$root/etc/apt/apt.conf.d/01-cartable" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF

# The initrd: only what mounts an ext4 root on the disks such a box has (SATA, NVMe, USB,
# SD/eMMC, virtio under QEMU); the real root's udev loads everything else.
mkdir -p "$root/etc/initramfs-tools/conf.d"
cat >"$root/etc/initramfs-tools/conf.d/cartable.conf" <<'EOF'
# Cartable image: the modules listed in ../modules only, zstd.
MODULES=list
COMPRESS=zstd
EOF
cat >>"$root/etc/initramfs-tools/modules" <<'EOF'
# Cartable image (MODULES=list): what mounts the root file system.
ext4
crc32c_generic
virtio_pci
virtio_mmio
virtio_blk
virtio_scsi
sd_mod
ahci
ata_piix
ata_generic
nvme
usb_storage
uas
xhci_pci
xhci_plat_hcd
ehci_pci
ehci_platform
ohci_pci
mmc_block
sdhci_pci
sdhci_acpi
sdhci_of_arasan
sdhci_of_dwcmshc
dw_mmc_rockchip
EOF

# The resolver stub needs systemd-resolved running: until the image boots, the host's.
rm -f "$root/etc/resolv.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "base: installing $kernel"
in_root apt-get install -y -q "$kernel" >"$root/../kernel-install.log" 2>&1 || {
    tail -40 "$root/../kernel-install.log" >&2
    exit 1
}
# The boot loaders for the FAT partition, signed for UEFI Secure Boot: Debian's shim (signed
# by Microsoft's UEFI CA, which PCs trust) and its MokManager, and systemd-boot signed by
# Debian (which shim trusts, as it trusts Debian's signed kernel). Only their EFI programs
# are kept, in /usr/lib/cartable-boot/ (image/build.sh moves them to the FAT): the packages
# are downloaded, not installed.
mkdir -p "$root/tmp/boot-debs" "$root/usr/lib/cartable-boot"
in_root sh -c "cd /tmp/boot-debs && apt-get download -q -o APT::Sandbox::User=root \
    shim-signed shim-helpers-$debarch-signed systemd-boot-efi-$debarch-signed" >/dev/null
for deb in "$root"/tmp/boot-debs/*.deb; do dpkg-deb -x "$deb" "$root/tmp/boot-debs/x"; done
case "$arch" in x86_64) efi=x64 ;; arm64) efi=aa64 ;; esac
cp "$root/tmp/boot-debs/x/usr/lib/shim/shim$efi.efi.signed" \
    "$root/tmp/boot-debs/x/usr/lib/shim/mm$efi.efi.signed" \
    "$root/tmp/boot-debs/x/usr/lib/systemd/boot/efi/systemd-boot$efi.efi.signed" \
    "$root/usr/lib/cartable-boot/"
rm -rf "$root/tmp/boot-debs"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
in_root apt-get clean

# Kernel modules no such box uses: graphics (the firmware's framebuffer serves the console),
# sound, cameras and TV, wireless, Bluetooth, InfiniBand, ISDN and the like.
for k in "$root"/usr/lib/modules/*; do
    [ -d "$k/kernel" ] || continue
    for d in drivers/gpu/drm/amd drivers/gpu/drm/nouveau drivers/gpu/drm/radeon \
        drivers/gpu/drm/i915 drivers/gpu/drm/xe drivers/gpu/drm/msm drivers/gpu/drm/panfrost \
        drivers/gpu/drm/panthor drivers/gpu/drm/lima drivers/gpu/drm/etnaviv \
        drivers/gpu/drm/tegra drivers/gpu/drm/imx drivers/gpu/drm/rockchip \
        drivers/gpu/drm/meson drivers/gpu/drm/sun4i drivers/gpu/drm/mediatek \
        drivers/gpu/drm/vc4 drivers/gpu/drm/v3d drivers/gpu/drm/nova drivers/gpu/drm/nouveau \
        sound drivers/media drivers/staging drivers/net/wireless net/wireless net/mac80211 \
        drivers/bluetooth net/bluetooth drivers/infiniband drivers/isdn drivers/net/can \
        net/can drivers/iio drivers/input/joystick drivers/input/touchscreen \
        drivers/net/ethernet/mellanox drivers/net/ethernet/chelsio drivers/scsi/lpfc \
        drivers/scsi/qla2xxx drivers/scsi/bfa drivers/scsi/mpt3sas drivers/scsi/megaraid \
        drivers/target drivers/nfc net/nfc drivers/hid/intel-ish-hid; do
        rm -rf "${k:?}/kernel/$d"
    done
    in_root depmod -a "$(basename "$k")"
done

# No documentation, manual pages or translations (copyright files stay), no caches or logs.
find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/usr/share/lintian/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/var/log/apt/* \
    "$root"/var/log/dpkg.log "$root"/var/log/bootstrap.log "$root"/var/log/alternatives.log
# Made per box at its first boot, never shared by every box flashed from one image.
rm -f "$root"/etc/ssh/ssh_host_* "$root/var/lib/dbus/machine-id" \
    "$root/var/lib/systemd/random-seed"
: >"$root/etc/machine-id"
echo "base: done ($(du -sh "$root" | cut -f1))"
