"""Booting a Cartable image (or a plain Debian one) under QEMU with software emulation (TCG),
for the image test (run.py) and the image benchmark (tests/bench/image.py). Python 3's
standard library only, plus qemu-system-*, mtools and the firmware packages.

A machine has user-mode networking with the guest's SSH, HTTP, HTTPS and SMTP ports forwarded
to free ports on 127.0.0.1, its serial console in a file, and a monitor socket through which
it is powered down as by its power button (ACPI), so that the guest shuts down cleanly.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request

# Where the image's FAT partition starts (image/build.sh): 1 MiB.
FAT_OFFSET = "1M"

FIRMWARE = {
    # x86_64: SeaBIOS (QEMU's default, legacy BIOS boot through SYSLINUX) or OVMF (UEFI,
    # systemd-boot). arm64: AAVMF (UEFI) on the `virt` machine.
    ("x86_64", "bios"): None,
    ("x86_64", "uefi"): ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
    # UEFI with Secure Boot enforced and Microsoft's keys enrolled, as on a PC sold with
    # Windows: the image's shim (signed by Microsoft) must start.
    ("x86_64", "uefi-secure"): ("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
                                "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"),
    ("arm64", "uefi"): ("/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd"),
    # The Raspberry Pi image on QEMU's Raspberry Pi 3 B. QEMU has no Pi GPU firmware: the
    # test does its part (raspi_boot_files), reading config.txt and cmdline.txt from the
    # image's FAT and loading the kernel, initrd and Pi 3 device tree they name.
    ("rpi", "raspi3b"): None,
}

GUEST_PORTS = {"ssh": 22, "http": 80, "https": 443, "smtp": 25}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mtools_env():
    return dict(os.environ, MTOOLS_SKIP_CHECK="1")


def fat_read(image, name):
    """A file of the image's FAT partition, as bytes (None when it is not there)."""
    r = subprocess.run(["mtype", "-i", f"{image}@@{FAT_OFFSET}", f"::{name}"],
                       capture_output=True, env=mtools_env())
    return r.stdout if r.returncode == 0 else None


def raspi_boot_files(image, workdir, dtb="bcm2837-rpi-3-b.dtb"):
    """What a Pi's GPU firmware does before the kernel runs, from the image's FAT: the kernel
    and initrd config.txt names (kernel=, initramfs), the device tree of the board, and
    cmdline.txt. Returns (kernel path, initrd path, dtb path, command line)."""
    config = (fat_read(image, "config.txt") or b"").decode()
    kernel = next((ln.split("=", 1)[1].strip() for ln in config.splitlines()
                   if ln.startswith("kernel=")), None)
    initrd = next((ln.split(None, 1)[1].strip() for ln in config.splitlines()
                   if ln.startswith("initramfs ")), None)
    cmdline = (fat_read(image, "cmdline.txt") or b"").decode().strip()
    if not kernel or not initrd or not cmdline:
        raise RuntimeError("config.txt or cmdline.txt does not name a kernel, an initrd and "
                           "a command line")
    paths = []
    for name in (kernel, initrd, dtb):
        data = fat_read(image, name)
        if data is None:
            raise RuntimeError(f"the FAT has no {name}")
        path = os.path.join(workdir, "raspi-" + name)
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    return paths[0], paths[1], paths[2], cmdline


def fat_write(image, name, data, workdir):
    path = os.path.join(workdir, os.path.basename(name))
    with open(path, "wb") as f:
        f.write(data)
    subprocess.run(["mcopy", "-o", "-i", f"{image}@@{FAT_OFFSET}", path, f"::{name}"],
                   check=True, env=mtools_env())


class Machine:
    def __init__(self, arch, image, workdir, firmware, name="vm", memory=1024, cpus=2,
                 disks=(), usb=False, usb_disks=()):
        if (arch, firmware) not in FIRMWARE:
            raise ValueError(f"no {firmware} firmware for {arch}")
        self.arch, self.image, self.workdir = arch, image, workdir
        self.firmware, self.name = firmware, name
        self.memory, self.cpus = memory, cpus
        # More raw disk files, plugged in after the system's (a backup disk).
        self.disks = list(disks)
        # A USB 3 (xHCI) controller (with `usb` or `usb_disks`), the raw disk files plugged
        # into it as USB disks at power-on, and more plugged in by `usb_plug` while it runs.
        self.usb_disks = list(usb_disks)
        self.usb = usb or bool(self.usb_disks)
        self.ports = {k: free_port() for k in GUEST_PORTS}
        self.serial = os.path.join(workdir, f"{name}-serial.log")
        self.monitor = os.path.join(workdir, f"{name}-monitor.sock")
        self.proc = None
        self.started = None

    def command(self):
        fwd = ",".join(f"hostfwd=tcp:127.0.0.1:{self.ports[k]}-:{g}"
                       for k, g in GUEST_PORTS.items())
        # x86_64 guests run their vCPUs on one host thread: with QEMU's multi-threaded TCG,
        # the guest kernel patching its own code while the other vCPU runs it (int3-based
        # text_poke) now and then panics ("Oops: int3" in crng_make_state, seen in CI).
        x86_tcg = "tcg,thread=single"
        if self.arch == "x86_64" and self.firmware == "uefi-secure":
            # Secure Boot firmware keeps its variables in SMM-protected flash.
            cmd = ["qemu-system-x86_64", "-machine", "q35,smm=on", "-accel", x86_tcg,
                   "-global", "driver=cfi.pflash01,property=secure,value=on"]
        elif self.arch == "x86_64":
            cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", x86_tcg]
        elif self.arch == "rpi":
            return self.raspi_command(fwd)
        else:
            cmd = ["qemu-system-aarch64", "-machine", "virt", "-cpu", "cortex-a57",
                   "-accel", "tcg"]
        cmd += ["-m", str(self.memory), "-smp", str(self.cpus),
                "-drive", f"file={self.image},format=raw,if=none,id=disk0",
                "-device", "virtio-blk-pci,drive=disk0,bootindex=0",
                "-netdev", f"user,id=net0,{fwd}",
                # No option ROM: no network boot attempt before the disk.
                "-device", "virtio-net-pci,netdev=net0,romfile=",
                "-display", "none", "-serial", f"file:{self.serial}",
                "-monitor", f"unix:{self.monitor},server,nowait", "-no-user-config"]
        for i, disk in enumerate(self.disks, 1):
            cmd += ["-drive", f"file={disk},format=raw,if=none,id=disk{i}",
                    "-device", f"virtio-blk-pci,drive=disk{i}"]
        if self.usb:
            cmd += ["-device", "qemu-xhci,id=xhci"]
        for i, disk in enumerate(self.usb_disks, 1):
            cmd += ["-drive", f"file={disk},format=raw,if=none,id=usbdisk{i}",
                    "-device", f"usb-storage,bus=xhci.0,drive=usbdisk{i}"]
        fw = FIRMWARE[(self.arch, self.firmware)]
        if fw:
            code, vars_template = fw
            vars_copy = os.path.join(self.workdir, f"{self.name}-vars.fd")
            shutil.copyfile(vars_template, vars_copy)
            cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
                    "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
        return cmd

    def raspi_command(self, fwd):
        """QEMU's Pi 3 B: 1 GiB and 4 cores (fixed), the image as its SD card (QEMU wants a
        power of two: run.py makes it 4 GiB), the network as a USB Ethernet adapter (the Pi 3's
        own is a USB one too, eth0), the mini UART (ttyS1, the second serial port) in the file."""
        kernel, initrd, dtb, cmdline = raspi_boot_files(self.image, self.workdir)
        return ["qemu-system-aarch64", "-machine", "raspi3b", "-accel", "tcg",
                "-kernel", kernel, "-initrd", initrd, "-dtb", dtb, "-append", cmdline,
                "-drive", f"file={self.image},format=raw,if=sd",
                # A maker's address, as a real adapter has (QEMU's default is a locally
                # administered one, which Linux names usb0 like a phone's USB tethering).
                "-netdev", f"user,id=net0,{fwd}", "-device",
                "usb-net,netdev=net0,mac=00:1e:06:12:34:57",
                "-display", "none", "-serial", "null", "-serial", f"file:{self.serial}",
                "-monitor", f"unix:{self.monitor},server,nowait", "-no-user-config"]

    def start(self):
        for p in (self.serial, self.monitor):
            if os.path.exists(p):
                os.unlink(p)
        log = open(os.path.join(self.workdir, f"{self.name}-qemu.log"), "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()

    def elapsed(self):
        return time.monotonic() - self.started

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def serial_text(self):
        try:
            with open(self.serial, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def wait_serial(self, needle, timeout):
        """Seconds since power-on when the serial console first shows `needle`, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if needle in self.serial_text():
                return self.elapsed()
            time.sleep(0.5)
        return None

    def wait_http(self, path, timeout, port="http"):
        """Seconds since power-on when GET http://guest{path} first answers 200, or None."""
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.ports[port]}{path}"
        while time.monotonic() < deadline and self.alive():
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        return self.elapsed()
            except OSError:
                pass
            time.sleep(0.5)
        return None

    def monitor_command(self, command, timeout=10):
        """Runs a command on QEMU's monitor; returns what it printed."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(timeout)
            s.connect(self.monitor)
            data = b""
            while not data.endswith(b"(qemu) "):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.sendall(command.encode() + b"\n")
            data = b""
            deadline = time.monotonic() + timeout
            # The monitor echoes the command, prints its output, then the prompt again.
            while data.count(b"(qemu) ") < 1 and time.monotonic() < deadline:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                data += chunk
            text = data.decode("utf-8", "replace").replace("\r", "")
            # Drop the echo (with its terminal escapes) and the prompt.
            return text.split("\n", 1)[1].rsplit("(qemu) ", 1)[0].strip() if "\n" in text \
                else ""

    def usb_plug(self, disk, name):
        """Plugs a raw disk file in as a USB disk while the machine runs (as a technician
        plugs a stick in); returns QEMU's complaints, empty when it worked."""
        out = self.monitor_command(f"drive_add 0 if=none,id={name},format=raw,file={disk}")
        if out.strip() != "OK":
            return f"drive_add: {out}"
        return self.monitor_command(f"device_add usb-storage,bus=xhci.0,drive={name},"
                                    f"id={name}-dev")

    def usb_unplug(self, name):
        """Pulls out a disk that `usb_plug` plugged in."""
        return self.monitor_command(f"device_del {name}-dev")

    def power_down(self, timeout=120):
        """Presses the power button and waits for the guest to shut down; kills QEMU if it
        has not by then. Returns whether the shutdown was clean."""
        if not self.alive():
            return False
        try:
            self.monitor_command("system_powerdown")
        except OSError:
            pass
        try:
            self.proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            self.kill()
            return False

    def kill(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()
