#!/usr/bin/env python3
"""Capture QEMU's `info mtree` variants for riscv32 `virt` with `-bios none` (the board our
built-in `virt` must match). Starts QEMU paused with the HMP monitor on a unix socket, sends each
command, saves the text between prompts, then quits. Writes virt-riscv32.mtree*.txt next to itself.

Usage: python3 test/firmware/oracle/capture-virt-mtree.py [--nodefaults]
"""
import os, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
SOCK = f"/tmp/boardmap-mtree-{os.getpid()}.sock"
BASE = ["qemu-system-riscv32", "-M", "virt", "-bios", "none"]
EXTRA = ["-S", "-display", "none"] + (["-nodefaults"] if "--nodefaults" in sys.argv else []) + ["-monitor", f"unix:{SOCK},server=on,wait=off"]
# Default: exactly `qemu-system-riscv32 -M virt -bios none` (QEMU adds its default virtio-net-pci NIC,
# which only adds the PCI device's address space). --nodefaults: as the shared oracle (-nodefaults).
PREFIX = "virt-riscv32-nodefaults" if "--nodefaults" in sys.argv else "virt-riscv32"
COMMANDS = {
    "mtree": "info mtree",
    "mtree-f": "info mtree -f",
    "mtree-f-d": "info mtree -f -d",
    "mtree-o": "info mtree -o",
    "mtree-f-o": "info mtree -f -o",
    "mtree-D": "info mtree -D",
}

def read_until_prompt(s):
    buf = b""
    while not buf.endswith(b"(qemu) "):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf.decode("utf-8", "replace")

def main():
    proc = subprocess.Popen(BASE + EXTRA)
    try:
        for _ in range(100):
            if os.path.exists(SOCK):
                break
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX)
        s.connect(SOCK)
        banner = read_until_prompt(s)
        version = banner.splitlines()[0] if banner else "?"
        for name, cmd in COMMANDS.items():
            s.sendall((cmd + "\n").encode())
            out = read_until_prompt(s)
            # The monitor echoes the command line and ends with the prompt; keep only the answer.
            out = out.replace("\r\n", "\n").replace("\r", "")
            lines = out.split("\n")
            # First line: the monitor's readline echo of the command (with terminal escapes).
            lines = lines[1:]
            text = "\n".join(lines)
            if text.endswith("(qemu) "):
                text = text[: -len("(qemu) ")]
            with open(os.path.join(HERE, f"{PREFIX}.{name}.txt"), "w") as f:
                f.write(text)
        s.sendall(b"quit\n")
        proc.wait(timeout=10)
        with open(os.path.join(HERE, f"{PREFIX}.command.txt"), "w") as f:
            f.write(" ".join(BASE + EXTRA[:-1] + ["unix:/tmp/boardmap-mtree-<pid>.sock,server=on,wait=off"]) + "\n")
            f.write(f"monitor banner: {version}\n")
            for name, cmd in COMMANDS.items():
                f.write(f"{PREFIX}.{name}.txt <- {cmd}\n")
    finally:
        if proc.poll() is None:
            proc.kill()
        if os.path.exists(SOCK):
            os.unlink(SOCK)

if __name__ == "__main__":
    sys.exit(main())
