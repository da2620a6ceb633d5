# shellcheck shell=bash
# Source this file (`. .ci/toolchain.sh`): it puts Node >= 22.17 and the exact pnpm
# pinned in package.json's `packageManager` first on PATH, installing either from the
# npm registry into ./.toolchain when the machine lacks it. Idempotent: once both are
# installed a second run only checks versions (well under a second).
#
# Why from npm: the machines we target reach the npm registry but not nodejs.org or
# GitHub, so `node-<os>-<arch>` packages are the one way to get a newer Node there.
# Why the exact pnpm: a pnpm whose version differs from the pin tries to switch itself,
# and that download fails on those machines.

signet_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
signet_tools="${SIGNET_TOOLCHAIN_DIR:-$signet_root/.toolchain}"

signet_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 17) ? 0 : 1)' 2>/dev/null
}

signet_toolchain() {
  local os arch pkg pinned
  if ! signet_node_ok; then
    case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "toolchain: unsupported OS $(uname -s); install Node >= 22.17 yourself" >&2; return 1 ;; esac
    case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "toolchain: unsupported CPU $(uname -m); install Node >= 22.17 yourself" >&2; return 1 ;; esac
    pkg="node-$os-$arch"
    if [ ! -x "$signet_tools/node/node_modules/$pkg/bin/node" ]; then
      command -v npm >/dev/null 2>&1 || { echo "toolchain: need npm (any Node) to fetch Node 24" >&2; return 1; }
      echo "toolchain: installing Node 24 ($pkg) into $signet_tools/node" >&2
      npm install --prefix "$signet_tools/node" --no-audit --no-fund --loglevel=error --no-save "$pkg@24" >&2 || return 1
    fi
    PATH="$signet_tools/node/node_modules/$pkg/bin:$PATH"
    signet_node_ok || { echo "toolchain: $pkg did not give a working Node >= 22.17" >&2; return 1; }
  fi

  pinned="$(node -p 'const pm = require(process.argv[1]).packageManager || ""; pm.startsWith("pnpm@") ? pm.slice(5).split("+")[0] : ""' "$signet_root/package.json")"
  [ -n "$pinned" ] || { echo "toolchain: package.json has no pnpm packageManager pin" >&2; return 1; }
  if [ "$(pnpm --version 2>/dev/null)" != "$pinned" ]; then
    if [ "$("$signet_tools/pnpm-$pinned/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$pinned" ]; then
      echo "toolchain: installing pnpm $pinned into $signet_tools/pnpm-$pinned" >&2
      npm install --prefix "$signet_tools/pnpm-$pinned" --no-audit --no-fund --loglevel=error --no-save "pnpm@$pinned" >&2 || return 1
    fi
    PATH="$signet_tools/pnpm-$pinned/node_modules/.bin:$PATH"
  fi
  export PATH
  # Nothing in this repository may phone home: the machines it runs on have no internet.
  export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 ASTRO_TELEMETRY_DISABLED=1
  return 0
}

signet_toolchain
