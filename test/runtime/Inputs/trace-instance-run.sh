#!/bin/sh
# trace-instance-run.sh OUT COMMAND...: runs COMMAND with the bpf_trace_printk event
# recorded into a tracefs instance of its own, then writes that instance's trace to OUT
# and removes the instance. The top-level trace buffer is the whole host's: other runs'
# lines stay in it (a reused pid matches them), and it is small, shared and may be
# cleared, stopped or overwritten by others; an instance holds only this run's lines.
set -e
out=$1
shift
instance=/sys/kernel/tracing/instances/btc-test-$$
mkdir "$instance"
trap 'rmdir "$instance"' EXIT
echo 1 > "$instance/events/bpf_trace/bpf_trace_printk/enable"
"$@"
grep -v '^#' "$instance/trace" > "$out"
echo 0 > "$instance/events/bpf_trace/bpf_trace_printk/enable"
