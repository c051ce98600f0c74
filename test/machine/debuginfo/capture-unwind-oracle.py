#!/usr/bin/env python3
"""Capture call-stack snapshots of the example firmware under QEMU + GDB, as the oracle for our
CFI unwinder: at each stop, the 32 registers, pc, 4 KiB of stack from sp, and GDB's own unwound
frames (pc and sp of every level). Writes golden/unwind-<name>.json.

Usage: python3 test/machine/debuginfo/capture-unwind-oracle.py   (needs qemu-system-riscv32, gdb-multiarch)
"""
import json, os, re, socket, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "..", "..", "examples", "firmware", "build")
STACK_BYTES = 4096

# name -> (elf, gdb commands that stop somewhere interesting)
SNAPSHOTS = {
    "hello-print_udec-entry": ("hello.elf", ["break print_udec", "continue"]),
    "hello-console_putc-from-print_udec": ("hello.elf", [
        "break print_udec", "continue", "delete", "break console_putc", "continue"]),
    "bench-fib-deep": ("bench.elf", ["break fib if $a0 == 3", "continue"]),
    "selftest-trap_handler": ("selftest.elf", ["break trap_handler", "continue"]),
}

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def capture(elf, commands):
    port = free_port()
    elf_path = os.path.join(BUILD, elf)
    qemu = subprocess.Popen(["qemu-system-riscv32", "-M", "virt", "-bios", "none", "-display", "none",
                             "-serial", "null", "-monitor", "none", "-S", "-gdb", f"tcp:127.0.0.1:{port}",
                             "-kernel", elf_path])
    try:
        stack_file = tempfile.mktemp(suffix=".bin")
        script = ["set pagination off", "set confirm off", f"target remote 127.0.0.1:{port}"] + commands
        script += ["echo @@REGS\\n", "info registers"]
        script += [f"dump binary memory {stack_file} $sp $sp+{STACK_BYTES}"]
        script += ["echo @@BT\\n", "bt", "echo @@ENDBT\\n"]
        for level in range(20):
            script += [f"echo @@FRAME {level}\\n", f"frame {level}", "p/x $pc", "p/x $sp"]
        script += ["kill"]
        r = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-ex", "set architecture riscv:rv32", elf_path]
                           + sum([["-ex", c] for c in script], []), capture_output=True, text=True, timeout=60)
        out = r.stdout
        regs = {}
        for m in re.finditer(r"^(\w+)\s+(0x[0-9a-f]+)", out.split("@@REGS", 1)[1].split("@@FRAME", 1)[0], re.M):
            regs[m.group(1)] = int(m.group(2), 16)
        depth = len(re.findall(r"^#\d+ ", out.split("@@BT", 1)[1].split("@@ENDBT", 1)[0], re.M))
        frames = []
        for chunk in out.split("@@FRAME ")[1:]:
            vals = re.findall(r"^\$\d+ = (0x[0-9a-f]+)", chunk, re.M)
            if len(vals) < 2 or "No frame at level" in chunk:
                break
            frames.append({"pc": int(vals[0], 16), "sp": int(vals[1], 16)})
        frames = frames[:depth]
        with open(stack_file, "rb") as f:
            stack = f.read()
        os.unlink(stack_file)
        order = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
                 "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]
        return {"elf": elf, "gdbCommands": commands, "pc": regs["pc"], "x": [regs.get(n, 0) for n in order],
                "stackBase": regs["sp"], "stackHex": stack.hex(), "gdbFrames": frames,
                "gdbBacktrace": out.split("@@BT", 1)[1].split("@@ENDBT", 1)[0].strip().splitlines()}
    finally:
        qemu.kill(); qemu.wait()

def main():
    for name, (elf, commands) in SNAPSHOTS.items():
        snap = capture(elf, commands)
        with open(os.path.join(HERE, "golden", f"unwind-{name}.json"), "w") as f:
            json.dump(snap, f, indent=1); f.write("\n")
        print(name, [hex(fr["pc"]) for fr in snap["gdbFrames"]])

if __name__ == "__main__":
    sys.exit(main())
