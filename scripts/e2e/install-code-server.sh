#!/usr/bin/env bash
# Installs code-server (VS Code's web build) for the end-to-end tests, as
# /work/shared/recipes/code-server.md describes: Debian build deps, ripgrep's download cache seeded
# with Debian's rg, and npm_config_yes/unsafe_perm for its post-install steps. No internet beyond the
# npm registry and Debian's archive.
#
# Cached per machine, outside the repository, so every clone shares one install:
#   ${BOARDMAP_E2E_CACHE:-/var/cache/boardmap-e2e}/code-server-<version>/
# A marker file is written only after a complete install; a half-finished one is wiped and redone.
# A second run only checks (well under a second). Prints the code-server binary's path on stdout
# (progress goes to stderr).
set -euo pipefail

VERSION=4.100.3            # newest code-server that runs on Node 20 (VS Code 1.100.3)
RIPGREP_PACKAGE=1.15.11    # the @vscode/ripgrep version code-server pins
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_ROOT="${BOARDMAP_E2E_CACHE:-/var/cache/boardmap-e2e}"
DIR="$CACHE_ROOT/code-server-$VERSION"
MARKER="$DIR/.boardmap-install-complete"
BIN="$DIR/node_modules/.bin/code-server"

log() { echo "install-code-server: $*" >&2; }

if [ -f "$MARKER" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! mkdir -p "$CACHE_ROOT" 2>/dev/null || [ ! -w "$CACHE_ROOT" ]; then
  $SUDO mkdir -p "$CACHE_ROOT"
  $SUDO chown "$(id -u):$(id -g)" "$CACHE_ROOT"
fi

# One installer at a time per machine (two clones running CI at once must not share a half install).
exec 9>"$CACHE_ROOT/.lock"
flock 9
if [ -f "$MARKER" ] && [ -x "$BIN" ]; then # another run finished it while we waited
  echo "$BIN"
  exit 0
fi

DEBIAN_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# @vscode/ripgrep's post-install downloads rg from GitHub unless it finds the asset in this cache.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RIPGREP_PACKAGE"
mkdir -p "$rg_cache"
if [ ! -s "$rg_cache/$RIPGREP_ASSET" ]; then
  tar -czf "$rg_cache/$RIPGREP_ASSET" -C /usr/bin rg
fi

log "installing code-server $VERSION into $DIR (first time: about 4 minutes)"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
printf '{ "name": "boardmap-e2e-code-server", "private": true }\n' >package.json

start=$SECONDS
# code-server's post-install runs nested `npm install`s that build native modules (node-pty,
# kerberos, spdlog, ...) and call npx; npm 11 blocks dependency install scripts unless allowed, and
# the nested installs have no package.json of ours to carry an allowScripts list, so this isolated
# install allows them all through the environment. node-gyp takes Node's headers from the nodejs
# package (/usr/include/node; NodeSource's ships them) instead of downloading them.
nodedir=()
[ -f /usr/include/node/node.h ] && nodedir=(npm_config_nodedir=/usr)
env "${nodedir[@]}" \
  npm_config_yes=true \
  npm_config_unsafe_perm=true \
  npm_config_dangerously_allow_all_scripts=true \
  npm_config_fund=false \
  npm_config_audit=false \
  npm_config_update_notifier=false \
  npm install --no-save --loglevel=warn "code-server@$VERSION" >&2

"$BIN" --version >&2
touch "$MARKER"
log "done in $((SECONDS - start)) s"
echo "$BIN"
