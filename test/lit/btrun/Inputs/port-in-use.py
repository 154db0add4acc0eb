#!/usr/bin/env python3
"""metrics-bad-address.test: holds a listening socket on a free loopback port, runs the
command with PORT replaced by that port, and prints its exit status after its output."""
import socket, subprocess, sys

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = str(s.getsockname()[1])
    cmd = [a.replace("PORT", port) for a in sys.argv[1:]]
    rc = subprocess.run(cmd).returncode
    sys.stdout.flush()
    print(f"exit {rc}")
