#!/usr/bin/env bash
# Proves the fleet path on a second machine: objects compiled here, for that machine's
# description, are verified and run there by btrun-static (docs/FLEET.md).
#   there: btrun-static --describe-host -o DIR/host.json         (copy DIR back here)
#   here:  scripts/second-host-check.sh compile DIR/host.json OUT  (copy OUT there)
#   there: OUT/check.sh                                          (as root)
# compile builds scripts/second-host/*.bt, examples/*.bt and, where Debian's bpftrace is
# installed, its tools; a script the description cannot serve (no kprobes there, say) is
# listed with btc's error and left out.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${1:-}" = compile ] && [ $# -eq 3 ] || { echo "usage: $0 compile DESCRIPTION.json OUTDIR" >&2; exit 2; }
description=$2 out=$3
mkdir -p "$out/objects" || exit 1
cp "$root/build/bin/btrun-static" "$out/" || exit 1
tools=$(dpkg -L bpftrace 2>/dev/null | grep '\.bt$' || true)
compiled=0 refused=0
for script in "$root"/scripts/second-host/*.bt "$root"/examples/*.bt $tools; do
  name=$(basename "$script" .bt)
  [ -e "$out/objects/$name.bto" ] && name="$name-$(basename "$(dirname "$script")")"
  if error=$("$root/build/bin/btc" --target "$description" "$script" -o "$out/objects/$name.bto" 2>&1); then
    compiled=$((compiled + 1))
  else
    refused=$((refused + 1))
    echo "left out $name: $(echo "$error" | head -1)"
  fi
done
echo "compiled $compiled, left out $refused, for $(basename "$description")"
cat > "$out/check.sh" <<'CHECK'
#!/usr/bin/env bash
# Runs on the second host: each object through the verifier, then for 5 seconds while a
# small workload opens, execs, signals, syncs and writes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
btrun=$here/btrun-static
workload='sh -c "ls / >/dev/null; cat /etc/hostname; kill -0 1; sync; dd if=/dev/zero of=/tmp/second-host.out bs=4k count=64 oflag=direct 2>/dev/null; rm -f /tmp/second-host.out; sleep 2"'
uname -r
passed=0 failed=0
for object in "$here"/objects/*.bto; do
  name=$(basename "$object" .bto) args=
  [ "$name" = pidsyscalls ] && args=1
  if ! "$btrun" --verify-only "$object" > /tmp/second-host.log 2>&1; then
    echo "=== $name: verifier refused"; head -5 /tmp/second-host.log; failed=$((failed + 1)); continue
  fi
  timeout 25 "$btrun" -q --timeout 5 -c "$workload" "$object" $args > /tmp/second-host.log 2>&1
  rc=$?
  echo "=== $name: rc=$rc, $(wc -l < /tmp/second-host.log) lines"; head -c 800 /tmp/second-host.log | head -8
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "SUMMARY ran $passed, failed $failed"
CHECK
chmod +x "$out/check.sh"
