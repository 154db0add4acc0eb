#!/bin/sh
# tcpdrop's trigger: in a network namespace of its own, a TCP connect to 127.0.0.1:9
# whose SYN an iptables OUTPUT rule drops (a drop reason, on the connecting socket,
# state SYN_SENT); the connect gives up before the first retransmit.
exec unshare -n sh -c 'ip link set lo up && iptables -A OUTPUT -p tcp --dport 9 -j DROP &&
/usr/bin/python3 -c "
import socket
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect((\"127.0.0.1\", 9))
except OSError:
    pass
"'
