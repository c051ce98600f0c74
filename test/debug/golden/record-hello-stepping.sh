#!/bin/sh
# shellcheck disable=SC2016 # '$pc' in the gdb commands is gdb's register, not the shell's.
# Re-records hello-stepping.gdb.txt: gdb-multiarch's step / finish / next on hello.elf under
# qemu-system-riscv32 -M virt (the oracle for test/debug/stepping.test.ts). Run from the repo root.
set -e
ELF=examples/firmware/build/hello.elf
PORT=${PORT:-47311}
qemu-system-riscv32 -M virt -bios none -display none -serial null -monitor none -S \
  -gdb "tcp:127.0.0.1:$PORT" -kernel "$ELF" &
QEMU=$!
sleep 0.5
gdb-multiarch -nx -batch -ex 'set architecture riscv:rv32' -ex 'set pagination off' \
  -ex "target remote 127.0.0.1:$PORT" -ex 'break hello.c:43' -ex 'continue' -ex 'p/x $pc' \
  -ex 'step' -ex 'p/x $pc' -ex 'finish' -ex 'p/x $pc' -ex 'step' -ex 'p/x $pc' \
  -ex 'next' -ex 'p/x $pc' -ex 'next' -ex 'p/x $pc' "$ELF" 2>&1 |
  grep -v '^\[Inferior' > test/debug/golden/hello-stepping.gdb.txt
kill $QEMU 2>/dev/null || true
# Step Over a line whose call hits a breakpoint; finish to a line boundary; next.
qemu-system-riscv32 -M virt -bios none -display none -serial null -monitor none -S \
  -gdb "tcp:127.0.0.1:$PORT" -kernel "$ELF" &
QEMU=$!
sleep 0.5
gdb-multiarch -nx -batch -ex 'set architecture riscv:rv32' -ex 'set pagination off' \
  -ex "target remote 127.0.0.1:$PORT" -ex 'break hello.c:43' -ex 'continue' \
  -ex 'break print_line' -ex 'next' -ex 'p/x $pc' -ex 'next' -ex 'p/x $pc' -ex 'finish' \
  -ex 'p/x $pc' -ex 'next' -ex 'p/x $pc' "$ELF" 2>&1 |
  grep -v '^\[Inferior' > test/debug/golden/hello-stepping-breakpoint.gdb.txt
kill $QEMU 2>/dev/null || true
