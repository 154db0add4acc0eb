#!/bin/sh
# writeback's trigger: dirty a file (on a disk's file system: FILE's), then sync(1), which
# starts writeback with the reason "sync".
echo bt-writeback > "$1"
/bin/sync
