#!/usr/bin/env python3
# skboutput-udp.py N SIZE: sends N UDP datagrams of SIZE bytes over lo to a socket of its
# own (so the kernel sends no ICMP reply), datagram i filled with the byte ord('a') + i,
# and reads them back.
import socket
import sys

count, size = int(sys.argv[1]), int(sys.argv[2])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    tx.sendto(bytes([ord("a") + i]) * size, rx.getsockname())
for i in range(count):
    rx.recv(65536)
