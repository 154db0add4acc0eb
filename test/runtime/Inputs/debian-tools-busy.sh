#!/bin/sh
# cpuwalk's trigger: two seconds on a CPU, so that the 99 Hz samples find a process.
end=$(($(date +%s) + 2))
while [ "$(date +%s)" -lt "$end" ]; do :; done
