#!/usr/bin/env bash
# deb.test: builds the .deb packages with CPack into DIR, installs them with dpkg -i, runs
# `man btc` and `btrun --help` from the installed files, then removes them again, leaving
# the system as it was. Refuses to run when btc or btrun is already installed as a package.
# usage: install-deb.sh BUILD_DIR DIR
set -euo pipefail
build=$1 dir=$2
for p in btc btrun; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    echo "install-deb: $p is already installed; not touching it" >&2
    exit 2
  fi
done
(cd "$build" && cpack -G DEB -B "$dir" >/dev/null)
for f in "$dir"/btc_*.deb "$dir"/btrun_*.deb; do
  echo "$(dpkg-deb -f "$f" Package): $(dpkg-deb -f "$f" Depends)"
done
# Other installs may hold dpkg's lock for a while.
dpkg_retry() {
  for _ in $(seq 60); do
    if out=$("$@" 2>&1); then return 0; fi
    grep -q 'lock' <<<"$out" || { echo "$out" >&2; return 1; }
    sleep 5
  done
  return 1
}
trap 'dpkg_retry dpkg -r btc btrun >/dev/null' EXIT
dpkg_retry dpkg -i "$dir"/btc_*.deb "$dir"/btrun_*.deb
MANWIDTH=100 man btc | head -n 4 | tail -n 1
/usr/bin/btrun --help | head -n 1
echo "completion: $(ls /usr/share/bash-completion/completions/btc /usr/share/bash-completion/completions/btrun | wc -l) files"
dpkg_retry dpkg -r btc btrun >/dev/null
trap - EXIT
for p in btc btrun; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && echo "$p still installed" || echo "$p removed"
done
test ! -e /usr/bin/btrun && echo "/usr/bin/btrun gone"
