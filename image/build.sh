#!/bin/sh
# Builds out/cartable-<arch>.img and out/cartable-<arch>.img.xz: a bootable disk image of
# Debian stable with rootfs-overlay/ and the static `cartable` binary laid in (`make image`,
# `make image ARCH=arm64`, `make image ARCH=rpi`).
#
#   sh image/build.sh ARCH BINARY [OUT]      ARCH: x86_64, arm64 or rpi; OUT: out/ by default
#
# Environment:
#   DEBIAN_SUITE=trixie   DEBIAN_MIRROR=http://deb.debian.org/debian   (passed to base.sh)
#   IMAGE_REFRESH=1       rebuild the cached base root file system (out/cache/) even when
#                         image/base.sh has not changed (e.g. for Debian's security updates)
#   IMAGE_NO_XZ=1         skip the .img.xz (the QEMU test boots the raw image)
#   IMAGE_KEEP=1          keep the work folder (out/work-<arch>/)
#   IMAGE_PLAIN=1         build out/debian-<arch>.img instead: the same base, kernel and boot
#                         loaders with nothing of Cartable's (the benchmark's reference);
#                         BINARY is then ignored
#
# The disk, MBR-partitioned so that any PC shows its first partition and UEFI firmware boots
# it as well as a BIOS does:
#   1. FAT32 labelled CARTABLE, 128 MiB, active: cartable.toml (the technician edits it from
#      any PC), the kernel and initrd, Debian's signed shim as EFI/BOOT/BOOTX64.EFI or
#      BOOTAA64.EFI starting Debian's signed systemd-boot and its loader entry (UEFI, with or
#      without Secure Boot), and SYSLINUX behind the MBR boot code (x86_64 BIOS). Mounted at
#      /boot/efi on the box.
#   2. ext4, the root file system, made a little larger than its content here and grown to
#      the end of the disk at first boot (cartable-grow-root.service).
# No loop device and no mount: `mkfs.vfat -C` and mtools for the FAT, `mkfs.ext4 -d` for the
# root, sfdisk and `dd conv=notrunc` to put them together. As root: debootstrap, chroot, and
# the files' owners in the root file system.
#
# The Raspberry Pi image (ARCH=rpi, the arm64 binary) has the same two partitions, but a Pi
# has no UEFI: its GPU firmware reads the first FAT partition, so that one is both the Pi's
# boot partition and the CARTABLE partition, 256 MiB, mounted at /boot/firmware where Debian's
# raspi-firmware hooks keep it right on every kernel or initrd update: the firmware
# (bootcode.bin, start*.elf, fixup*.dat), config.txt naming the kernel and initrd, cmdline.txt,
# vmlinuz-*, initrd.img-* and the device trees (bcm2837-rpi-3-b*.dtb, bcm2711-rpi-4-b.dtb,
# bcm2712-rpi-5-b.dtb...), beside cartable.toml and LISEZMOI.txt.
set -eu

arch=${1:?usage: image/build.sh ARCH BINARY [OUT]}
bin=${2:?usage: image/build.sh ARCH BINARY [OUT]}
out=${3:-out}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
suite=${DEBIAN_SUITE:-trixie}
export MTOOLS_SKIP_CHECK=1

case "$arch" in
x86_64) efi=x64 serial=ttyS0 elf=x86-64 boot=/boot/efi fat_mib=128 ;;
arm64) efi=aa64 serial=ttyAMA0 elf=aarch64 boot=/boot/efi fat_mib=128 ;;
rpi) efi='' serial=ttyS1 elf=aarch64 boot=/boot/firmware fat_mib=256 ;;
*) echo "image: ARCH must be x86_64, arm64 or rpi, not '$arch'" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "image: run as root (debootstrap, chroot, file owners)" >&2; exit 1; }
plain=${IMAGE_PLAIN:-}
if [ -z "$plain" ]; then
    [ -f "$bin" ] || { echo "image: no binary at $bin (make static)" >&2; exit 1; }
    case "$(file -b "$bin")" in
    *"$elf"*static*) ;;
    *) echo "image: $bin is not a static $elf binary: $(file -b "$bin")" >&2; exit 1 ;;
    esac
fi
for tool in debootstrap mkfs.vfat mcopy mkfs.ext4 sfdisk xz zstd systemctl useradd; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
    command -v "$tool" >/dev/null 2>&1 || {
        echo "image: $tool is missing (sh tests/install-deps.sh image)" >&2
        exit 1
    }
done
if [ "$arch" != x86_64 ] && [ "$(uname -m)" != aarch64 ]; then
    if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
        [ -e /proc/sys/fs/binfmt_misc/register ] ||
            mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
        update-binfmts --enable qemu-aarch64 2>/dev/null || true
    fi
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || {
        echo "image: arm64 programs cannot run here (qemu-user-static and binfmt_misc)" >&2
        exit 1
    }
fi

disk_id=ca27ab1e # the MBR's disk identifier: root=PARTUUID=ca27ab1e-02 (also in base.sh)
mkdir -p "$out/cache"
work="$out/work-$arch${plain:+-plain}"
rm -rf "$work"
mkdir -p "$work"
t0=$(date +%s)
step() { echo "image ($arch, $(($(date +%s) - t0)) s): $*"; }

# 1. The base root file system, cached by the content of base.sh.
key=$( (cat "$here/base.sh"; echo "$suite ${DEBIAN_MIRROR:-}") | sha256sum | cut -c1-16)
base="$out/cache/base-$arch-$suite-$key.tar.zst"
root="$work/root"
if [ -n "${IMAGE_REFRESH:-}" ] || [ ! -f "$base" ]; then
    step "building the base root file system (debootstrap)"
    mkdir -p "$work/base"
    sh "$here/base.sh" "$arch" "$work/base" "$out/cache"
    rm -f "$out/cache/base-$arch-"*.tar.zst
    tar --numeric-owner --xattrs --xattrs-include='*' -C "$work/base" -cf - . |
        zstd -q -T0 -3 -o "$base.part"
    mv "$base.part" "$base"
    mv "$work/base" "$root"
else
    step "base root file system from $base"
    mkdir -p "$root"
    zstd -q -dc "$base" | tar --numeric-owner --xattrs --xattrs-include='*' -xpf - -C "$root"
fi

# 2. Cartable's part: the overlay, the binary, the users, the units; then fstab, host name.
if [ -z "$plain" ]; then
    step "laying in rootfs-overlay/ and $bin"
    (cd "$top/rootfs-overlay" && tar --owner=0 --group=0 --exclude=./README.md -cf - .) |
        tar -xf - -C "$root" --no-overwrite-dir
    (cd "$top/rootfs-overlay" && find . -mindepth 1 ! -type l ! -path ./README.md) |
        while read -r p; do chmod u+rw,go-w "$root/$p"; done
    chmod 0440 "$root/etc/sudoers.d/cartable"
    chmod 0755 "$root"/usr/lib/cartable/*
    install -m 0755 "$bin" "$root/usr/bin/cartable"

    useradd --root "$(realpath "$root")" --system --user-group --home-dir /var/lib/cartable \
        --no-create-home --shell /usr/sbin/nologin --comment "Cartable" cartable
    # Maintainers log in with the SSH keys from cartable.toml only: no password ('*' is no
    # password at all, where useradd's '!' would read as a locked account).
    useradd --root "$(realpath "$root")" --create-home --shell /bin/bash \
        --comment "Cartable maintainers" --groups systemd-journal maint
    usermod --root "$(realpath "$root")" --password '*' maint
    ids() { awk -F: -v u="$1" '$1 == u { print $3 ":" $4 }' "$root/etc/passwd"; }
    install -d -m 0750 -o "$(ids cartable | cut -d: -f1)" -g "$(ids cartable | cut -d: -f2)" \
        "$root/var/lib/cartable"
    install -d -m 0700 -o "$(ids maint | cut -d: -f1)" -g "$(ids maint | cut -d: -f2)" \
        "$root/home/maint/.ssh"

    systemctl --root="$root" --quiet enable systemd-networkd.service systemd-resolved.service \
        cartable.service cartable-firstboot.service cartable-banner.service \
        cartable-grow-root.service cartable-ssh-keygen.service cartable-backup.timer
    systemctl --root="$root" --quiet set-default multi-user.target
    if [ "$arch" = rpi ]; then
        # Wi-Fi: wpa_supplicant (client) and hostapd (access point) start when the board's
        # wlan0 appears, after provisioning and only if it wrote their file from [wifi]
        # (rootfs-overlay's drop-ins); a board without Wi-Fi starts neither.
        wants="$root/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants"
        mkdir -p "$wants"
        ln -sf /usr/lib/systemd/system/wpa_supplicant@.service "$wants/wpa_supplicant@wlan0.service"
        ln -sf /usr/lib/systemd/system/hostapd@.service "$wants/hostapd@wlan0.service"
    fi
    name=cartable
else
    # The reference: Debian as debootstrap made it, with host keys so that sshd starts.
    step "plain Debian (no Cartable)"
    ssh-keygen -q -A -f "$root"
    name=debian
fi

echo "$name" >"$root/etc/hostname"
cat >"$root/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$name
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
EOF
cat >"$root/etc/fstab" <<EOF
# The root file system, and the CARTABLE partition (cartable.toml, kernel, boot loaders),
# readable by root only since cartable.toml may hold passwords until they are applied.
PARTUUID=$disk_id-02	/		ext4	defaults,noatime,errors=remount-ro	0 1
PARTUUID=$disk_id-01	$boot	vfat	umask=0077,shortname=mixed,nofail,x-systemd.device-timeout=90s	0 2
EOF
[ -n "$plain" ] || cat >>"$root/etc/fstab" <<'EOF'
# The nightly backup's USB disk, when one labelled CARTABLE-BK is plugged in: mounted on
# demand (cartable backup --auto looks into the folder), unmounted when idle.
LABEL=CARTABLE-BK	/media/cartable-backup	auto	noauto,nofail,noatime,x-systemd.automount,x-systemd.idle-timeout=2min,x-systemd.device-timeout=10s	0 0
EOF
mkdir -p "$root$boot"
echo 'LANG=C.UTF-8' >"$root/etc/default/locale"
echo 'LANG=C.UTF-8' >"$root/etc/locale.conf"

# 3. The FAT partition: kernel, initrd, boot loaders, cartable.toml.
step "FAT partition"
fat="$work/fat"
if [ "$arch" = rpi ]; then
    # What Debian's raspi-firmware put in the root's /boot/firmware; the kernel and initrd
    # stay in /boot too, where its hooks look for them on the next update.
    mv "$root/boot/firmware" "$fat"
    mkdir -p "$root/boot/firmware"
    grep -q "^kernel=vmlinuz-" "$fat/config.txt" && grep -q "^initramfs initrd.img-" "$fat/config.txt" &&
        grep -q "root=PARTUUID=$disk_id-02 " "$fat/cmdline.txt" || {
        echo "image: raspi-firmware's config.txt or cmdline.txt is not as expected" >&2
        exit 1
    }
else
    kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -1)
    initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -1)
    mkdir -p "$fat/EFI/BOOT" "$fat/loader/entries"
    [ "$arch" != x86_64 ] || mkdir -p "$fat/syslinux"
    # systemd-boot starts the kernel as an EFI program: an arm64 kernel compressed with gzip
    # (rather than the EFI zboot format) is unpacked first.
    if [ "$arch" = arm64 ] && [ "$(head -c2 "$kernel" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
        gzip -dc "$kernel" >"$fat/vmlinuz"
    else
        cp "$kernel" "$fat/vmlinuz"
    fi
    cp "$initrd" "$fat/initrd.img"
    # UEFI, Secure Boot or not: the firmware starts shim from the removable-media path, shim
    # starts "grubx64.efi" beside it, which is systemd-boot, which starts the kernel (each
    # checking the next's signature when Secure Boot is on).
    EFI=$(echo "$efi" | tr a-z A-Z)
    cp "$root/usr/lib/cartable-boot/shim$efi.efi.signed" "$fat/EFI/BOOT/BOOT$EFI.EFI"
    cp "$root/usr/lib/cartable-boot/mm$efi.efi.signed" "$fat/EFI/BOOT/mm$efi.efi"
    cp "$root/usr/lib/cartable-boot/systemd-boot$efi.efi.signed" "$fat/EFI/BOOT/grub$efi.efi"
    rm -rf "$root/usr/lib/cartable-boot"
    options="root=PARTUUID=$disk_id-02 ro quiet console=tty1 console=$serial,115200"
    printf '%s\n' "default cartable.conf" "timeout 0" "editor no" >"$fat/loader/loader.conf"
    printf '%s\n' "title   Cartable" "linux   /vmlinuz" "initrd  /initrd.img" \
        "options $options" >"$fat/loader/entries/cartable.conf"
    [ "$arch" != x86_64 ] || printf '%s\n' "SERIAL 0 115200" "DEFAULT cartable" "PROMPT 0" \
        "TIMEOUT 0" "LABEL cartable" "  LINUX /vmlinuz" "  INITRD /initrd.img" \
        "  APPEND $options" >"$fat/syslinux/syslinux.cfg"
    rm -f "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$root"/vmlinuz* "$root"/initrd.img*
fi
if [ -n "$plain" ]; then
    :
elif [ -f "$top/provisioning/cartable.toml" ]; then
    cp "$top/provisioning/cartable.toml" "$fat/cartable.toml"
else
    echo "image: warning: provisioning/cartable.toml is missing, the FAT has none" >&2
fi
[ -n "$plain" ] || [ ! -f "$top/provisioning/README.md" ] ||
    cp "$top/provisioning/README.md" "$fat/LISEZMOI.txt"

rm -f "$work/fat.img"
mkfs.vfat -C -F 32 -n CARTABLE -i "$disk_id" -h 2048 "$work/fat.img" $((fat_mib * 1024)) >/dev/null
mcopy -s -i "$work/fat.img" "$fat"/* ::/
if [ "$arch" = x86_64 ]; then
    syslinux --install --directory /syslinux "$work/fat.img"
fi

# 4. The root file system, a little larger than its content: grown at first boot.
used=$(du -sm --apparent-size "$root" | cut -f1)
root_mib=$((used + used / 4 + 256))
step "root file system, ext4 of $root_mib MiB for $used MiB of files"
mkfs.ext4 -q -F -L cartable-root -m 1 -d "$root" "$work/root.img" "${root_mib}M"

# 5. The disk.
step "disk image"
img="$out/$name-$arch.img"
rm -f "$img" "$img.xz"
truncate -s $((1 + fat_mib + root_mib))M "$img.part"
sfdisk -q "$img.part" <<EOF
label: dos
label-id: 0x$disk_id
unit: sectors
start=2048, size=$((fat_mib * 2048)), type=c, bootable
start=$((2048 + fat_mib * 2048)), type=83
EOF
dd if="$work/fat.img" of="$img.part" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$work/root.img" of="$img.part" bs=1M seek=$((1 + fat_mib)) conv=notrunc,sparse status=none
if [ "$arch" = x86_64 ]; then
    dd if=/usr/lib/syslinux/mbr/mbr.bin of="$img.part" bs=440 count=1 conv=notrunc status=none
fi
mv "$img.part" "$img"
if [ -z "${IMAGE_NO_XZ:-}" ] && [ -z "$plain" ]; then
    step "compressing (xz)"
    xz -T0 -6 -c "$img" >"$img.xz.part"
    mv "$img.xz.part" "$img.xz"
fi
[ -n "${IMAGE_KEEP:-}" ] || rm -rf "$work"
step "done: $img ($(du -h --apparent-size "$img" | cut -f1))$([ -f "$img.xz" ] && echo ", $img.xz ($(du -h "$img.xz" | cut -f1))")"
