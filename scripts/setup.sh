#!/usr/bin/env bash
# Installs everything Boardmap's build, tests and demo need on a fresh Debian 12 machine:
# Debian packages (Chromium for webview tests, the RISC-V toolchain and QEMU for cross-checks) and
# the npm dependencies. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  chromium                       # headless browser for webview and code-server tests
  qemu-system-misc               # qemu-system-riscv32: cross-checks and cpu.qemu.ratio
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf  # example firmware
  gdb-multiarch                  # the debugger oracle for DWARF variables and stepping tests
  device-tree-compiler           # dtc: compares generated device trees with QEMU's
  shellcheck                     # lints every shell script (npm run lint)
  ripgrep                        # code-server's search (seeded into its install cache)
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config  # code-server native modules
)

# One dpkg-query for all packages keeps a second run well under a second. dpkg-query exits 1 when
# any package is unknown to dpkg (a fresh machine): that is an answer, not a failure.
installed=$( (dpkg-query -W -f='${Package} ${Status}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null || true) |
  awk '/install ok installed/ { print $1 }')
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
echo "setup: ready"
