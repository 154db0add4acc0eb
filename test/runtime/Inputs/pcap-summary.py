#!/usr/bin/env python3
# pcap-summary.py FILE: the classic pcap file's header, then one line per packet: its
# captured and original length, whether its time is within a minute of now, and for an
# IPv4 packet its protocol, total length and the first byte of its UDP payload.
import struct
import sys
import time

data = open(sys.argv[1], "rb").read()
magic, major, minor, zone, sigfigs, snap, link = struct.unpack_from("<IHHiIII", data, 0)
print(f"magic {magic:#x} version {major}.{minor} snaplen {snap} linktype {link}")
pos, now = 24, time.time()
while pos < len(data):
    sec, usec, caplen, length = struct.unpack_from("<IIII", data, pos)
    pos += 16
    packet = data[pos:pos + caplen]
    pos += caplen
    recent = abs(sec + usec / 1e6 - now) < 60 and usec < 1000000
    line = f"packet caplen {caplen} len {length} recent {recent}"
    if caplen >= 29 and packet[0] >> 4 == 4:
        ihl = (packet[0] & 15) * 4
        total, proto = struct.unpack_from(">H", packet, 2)[0], packet[9]
        line += f" ipv4 proto {proto} total {total} payload {chr(packet[ihl + 8])}"
    print(line)
print(f"end {pos == len(data)}")
