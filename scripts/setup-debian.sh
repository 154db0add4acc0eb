#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing btc/btrun needs.
# Idempotent and non-interactive; run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  llvm-19-dev llvm-19-tools clang-19 libclang-19-dev libclang-rt-19-dev
  libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev libzstd-dev
  libboost-program-options-dev nlohmann-json3-dev
  libssl-dev libsodium-dev libmd-dev libcap-dev
  libarchive-dev skopeo
  docker-registry gnupg curl podman runc
  systemtap-sdt-dev dwarves
  bpftrace
  libc6-dbg
  "linux-headers-$(dpkg --print-architecture)"
  prometheus
  help2man
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
