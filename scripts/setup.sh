#!/usr/bin/env bash
# Installs everything Boardmap's build, tests and demo need on a fresh Debian 12 machine:
# Debian packages (Chromium for webview tests, the RISC-V toolchain and QEMU for cross-checks) and
# the npm dependencies. Idempotent: a second run only checks, prints one line and takes well under a
# second. The first run on a fresh machine takes about 2 minutes and says what it installs.
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

# One dpkg-query for all packages, and no process per package, keeps a second run well under a
# second. dpkg-query exits 1 when any package is unknown to dpkg (a fresh machine): that is an
# answer, not a failure.
declare -A installed=()
while read -r package; do
  installed[$package]=1
done < <( (dpkg-query -W -f='${Package} ${Status}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null || true) |
  awk '/ ok installed$/ { print $1 }') # "install ok installed", also held packages
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  [ -n "${installed[$p]:-}" ] || missing+=("$p")
done

npm_stale=false
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm_stale=true
fi

if ((${#missing[@]} == 0)) && [ $npm_stale = false ]; then
  echo "setup: ready (${#DEBIAN_PACKAGES[@]} Debian packages and the npm dependencies are installed)"
  exit 0
fi

# Measured on a shared 2-core Debian 12 machine: apt-get installs the whole list in about 70 s;
# npm ci took 26 s (empty npm cache, load 4) and 45 s (load 14).
started=$SECONDS
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} of ${#DEBIAN_PACKAGES[@]} Debian packages with apt-get" \
    "(the whole list takes about 70 s):"
  echo "setup:   ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "setup: Debian packages installed ($((SECONDS - started)) s)"
fi

if [ $npm_stale = true ]; then
  if [ -d node_modules ]; then
    echo "setup: package-lock.json changed: reinstalling the npm dependencies with npm ci (about 30 s)"
  else
    echo "setup: installing the npm dependencies with npm ci (about 30 s)"
  fi
  npm_started=$SECONDS
  npm ci --no-audit --no-fund
  echo "setup: npm dependencies installed ($((SECONDS - npm_started)) s)"
fi
echo "setup: ready ($((SECONDS - started)) s)"
