#!/usr/bin/env python3
# Refused TCP connections to port 45999 (nothing listens there): one to 127.0.0.1,
# one to ::1, each a SYN_SENT then a CLOSE of sock:inet_sock_set_state (net-*.bt).
import socket

for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.connect((address, 45999))
        except ConnectionRefusedError:
            pass
