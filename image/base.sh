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
# ARCH=rpi is arm64 for the Raspberry Pi: the same kernel (linux-image-arm64, whose device
# trees cover the Pi 3, 4 and 5), plus Debian's raspi-firmware from non-free-firmware (the GPU
# firmware that boots a Pi, and the hooks that copy each new kernel, initrd and device trees
# to /boot/firmware and write config.txt and cmdline.txt there), and Wi-Fi: the Pi's Broadcom
# firmware, the regulatory database, wpa_supplicant (joining a network) and hostapd (the box's
# own network). No shim or systemd-boot: a Pi has no UEFI.
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
x86_64) debarch=amd64 kernel=linux-image-amd64 components=main ;;
arm64) debarch=arm64 kernel=linux-image-arm64 components=main ;;
rpi) debarch=arm64 kernel=linux-image-arm64 components=main,non-free-firmware ;;
*) echo "base.sh: ARCH must be x86_64, arm64 or rpi, not '$arch'" >&2; exit 2 ;;
esac

packages=systemd,systemd-sysv,udev,dbus,systemd-resolved,systemd-timesyncd
packages=$packages,openssh-server,sudo,kmod,initramfs-tools,zstd,e2fsprogs,dosfstools,fdisk
packages=$packages,tzdata,procps,iproute2

mkdir -p "$cache/debs-$debarch"
echo "base: debootstrap $suite ($debarch) from $mirror"
debootstrap --arch="$debarch" --variant=minbase --components=$components --include="$packages" \
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
if [ "$arch" = rpi ]; then
    cat >>"$root/etc/initramfs-tools/modules" <<'EOF'
# Raspberry Pi: the SD card (Pi 3: sdhost, bcm2835; Pi 4: emmc2, sdhci_iproc; the Pi 5's
# sdhci_brcmstb is not in Debian 13's kernel) and what it waits for (the firmware's clocks,
# the 1.8 V switch through a GPIO regulator and the firmware's GPIO expander), USB disks
# (Pi 3: dwc2; Pi 4: the VL805 behind PCIe, reset by the firmware).
bcm2835
sdhci_iproc
clk_raspberrypi
gpio_regulator
gpio_raspberrypi_exp
dwc2
pcie_brcmstb
reset_raspberrypi
EOF
fi

# The resolver stub needs systemd-resolved running: until the image boots, the host's.
rm -f "$root/etc/resolv.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ "$arch" = rpi ]; then
    # Debian's raspi-firmware before the kernel, so that installing the kernel takes the
    # path of every later kernel update: its hooks copy the kernel, initrd and device trees
    # to /boot/firmware and write config.txt and cmdline.txt. What they write, set first:
    # the root by the partition's identifier that image/build.sh gives the disk (the hook
    # would otherwise take the build machine's root), the HDMI screen and the Pi 3/4 serial
    # port as on the other images (the last one gets the boot's messages), no memory set
    # aside for a graphics driver the box has no use for; and the root mounted read-only
    # first, as on the other images, so that systemd-fsck-root checks it before it is
    # remounted read-write (the hook writes "rw"; the last of the two wins, in the kernel
    # and in the initrd alike). A pulled plug is then repaired at the next boot.
    cat >"$root/etc/default/raspi-firmware" <<'EOF'
# Cartable's Raspberry Pi image (see /usr/share/doc/raspi-firmware and image/base.sh).
ROOTPART=PARTUUID=ca27ab1e-02
CONSOLES="tty1 ttyS1,115200"
CMA=0
EOF
    echo "ro quiet" >"$root/etc/default/raspi-extra-cmdline"
    # Its scripts refuse to run unless /boot/firmware is mounted or they know they are in a
    # chroot, which ischroot cannot tell without /proc: told so (ischroot diverted) until the
    # kernel is in.
    mkdir -p "$root/boot/firmware"
    in_root dpkg-divert --quiet --local --rename --add /usr/bin/ischroot
    printf '#!/bin/sh\n# image/base.sh: this is a chroot.\nexit 0\n' >"$root/usr/bin/ischroot"
    chmod 0755 "$root/usr/bin/ischroot"
    echo "base: installing raspi-firmware and Wi-Fi"
    # Our /etc/default/raspi-firmware is kept (confold), not replaced by the package's.
    in_root apt-get install -y -q -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold raspi-firmware firmware-brcm80211 wireless-regdb \
        wpasupplicant hostapd >"$root/../firmware-install.log" 2>&1 || {
        tail -40 "$root/../firmware-install.log" >&2
        exit 1
    }
    # Installed, not started: cartable provision writes their files when cartable.toml
    # asks for Wi-Fi, and the image's units start them then.
    in_root systemctl disable --quiet hostapd.service wpa_supplicant.service 2>/dev/null || true
fi
echo "base: installing $kernel"
in_root apt-get install -y -q "$kernel" >"$root/../kernel-install.log" 2>&1 || {
    tail -40 "$root/../kernel-install.log" >&2
    exit 1
}
if [ "$arch" = rpi ]; then
    rm "$root/usr/bin/ischroot"
    in_root dpkg-divert --quiet --local --rename --remove /usr/bin/ischroot
    [ -f "$root/boot/firmware/config.txt" ] && [ -f "$root/boot/firmware/start4.elf" ] || {
        echo "base: raspi-firmware's hooks did not fill /boot/firmware" >&2
        exit 1
    }
fi
# The boot loaders for the FAT partition, signed for UEFI Secure Boot: Debian's shim (signed
# by Microsoft's UEFI CA, which PCs trust) and its MokManager, and systemd-boot signed by
# Debian (which shim trusts, as it trusts Debian's signed kernel). Only their EFI programs
# are kept, in /usr/lib/cartable-boot/ (image/build.sh moves them to the FAT): the packages
# are downloaded, not installed.
if [ "$arch" != rpi ]; then
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
fi
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
in_root apt-get clean

# Kernel modules no such box uses: graphics (the firmware's framebuffer serves the console),
# sound, cameras and TV, wireless (but for the Pi's Broadcom chips on its image), Bluetooth,
# InfiniBand, ISDN and the like.
wireless="drivers/net/wireless net/wireless net/mac80211"
[ "$arch" != rpi ] || wireless=$(cd "$root"/usr/lib/modules/*/kernel/drivers/net/wireless &&
    find . -mindepth 1 -maxdepth 1 ! -name broadcom | sed 's|^\.|drivers/net/wireless|')
for k in "$root"/usr/lib/modules/*; do
    [ -d "$k/kernel" ] || continue
    for d in drivers/gpu/drm/amd drivers/gpu/drm/nouveau drivers/gpu/drm/radeon \
        drivers/gpu/drm/i915 drivers/gpu/drm/xe drivers/gpu/drm/msm drivers/gpu/drm/panfrost \
        drivers/gpu/drm/panthor drivers/gpu/drm/lima drivers/gpu/drm/etnaviv \
        drivers/gpu/drm/tegra drivers/gpu/drm/imx drivers/gpu/drm/rockchip \
        drivers/gpu/drm/meson drivers/gpu/drm/sun4i drivers/gpu/drm/mediatek \
        drivers/gpu/drm/vc4 drivers/gpu/drm/v3d drivers/gpu/drm/nova drivers/gpu/drm/nouveau \
        sound drivers/media drivers/staging $wireless \
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
