#!/bin/sh
# iter-pin.sh BTRUN SCRIPT.bt BTC DIR: compiles SCRIPT with its PIN placeholder set to a
# file in a bpffs mounted at DIR/fs (this host has none at /sys/fs/bpf), runs btrun, then
# reads the pinned file twice with btrun gone. The pin and the mount are always removed,
# so a failure leaves nothing loaded.
btrun=$1 script=$2 btc=$3 dir=$4
rm -rf "$dir" && mkdir -p "$dir/fs" || exit 1
mount -t bpf bpf "$dir/fs" || exit 1
trap 'rm -f "$dir/fs/tasks"; umount "$dir/fs"' EXIT
sed "s|PIN|$dir/fs/tasks|" "$script" > "$dir/pin.bt"
"$btc" "$dir/pin.bt" -o "$dir/pin.bto" || exit 1
"$btrun" -q "$dir/pin.bto" || exit 1
echo "pid 2: $(cat /proc/2/comm)"
echo "read 1:"
cat "$dir/fs/tasks" || exit 1
echo "read 2:"
cat "$dir/fs/tasks" || exit 1
