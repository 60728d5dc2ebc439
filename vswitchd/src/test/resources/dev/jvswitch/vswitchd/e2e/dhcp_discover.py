#!/usr/bin/env python3
"""A DHCP client for a test namespace: dhcp_discover.py IFNAME MAC TIMEOUT_S [request]

Sends a DHCPDISCOVER from 0.0.0.0:68 to 255.255.255.255:67 on IFNAME (raw AF_PACKET, so no
address or route is needed) once a second, and prints "offer YIADDR router=R lease=L server=S"
for the first DHCPOFFER to MAC's transaction; exits 3 if none came within TIMEOUT_S.
With "request" it goes on as a client does: a DHCPREQUEST for the offered address to the
offering server (options 50 and 54), once a second, and prints "ack YIADDR/PREFIX router=R
lease=L server=S" for the DHCPACK (exit 4 on a DHCPNAK or none in time). The caller puts the
address on the interface.
"""
import os
import socket
import struct
import sys
import time


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def discover(mac, xid, extra=b"\x35\x01\x01"):
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000, b"\0" * 4, b"\0" * 4,
                        b"\0" * 4, b"\0" * 4, mac + b"\0" * 10, b"\0" * 64, b"\0" * 128)
    opts = b"\x63\x82\x53\x63" + extra + b"\x37\x03\x01\x03\x33" + b"\xff"
    payload = bootp + opts
    udp = struct.pack("!HHHH", 68, 67, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, b"\0" * 4, b"\xff" * 4)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + ip + udp


def parse_reply(frame, xid):
    """A BOOTREPLY to transaction XID: (yiaddr, options) or None."""
    if len(frame) < 14 + 20 + 8 + 240 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 0xf) * 4
    udp = 14 + ihl
    if struct.unpack("!H", frame[udp + 2:udp + 4])[0] != 68:
        return None
    bootp = frame[udp + 8:]
    if bootp[0] != 2 or struct.unpack("!I", bootp[4:8])[0] != xid or bootp[236:240] != b"\x63\x82\x53\x63":
        return None
    yiaddr = socket.inet_ntoa(bootp[16:20])
    opts = {}
    i = 240
    while i < len(bootp) and bootp[i] != 255:
        if bootp[i] == 0:
            i += 1
            continue
        opts[bootp[i]] = bootp[i + 2:i + 2 + bootp[i + 1]]
        i += 2 + bootp[i + 1]
    return yiaddr, opts


def describe(kind, yiaddr, opts):
    router = socket.inet_ntoa(opts[3][:4]) if 3 in opts else "-"
    server = socket.inet_ntoa(opts[54][:4]) if 54 in opts else "-"
    lease = struct.unpack("!I", opts[51])[0] if 51 in opts else -1
    if kind == "ack":
        mask = struct.unpack("!I", opts[1][:4])[0] if 1 in opts else 0
        yiaddr += "/%d" % bin(mask).count("1")
    return "%s %s router=%s lease=%d server=%s" % (kind, yiaddr, router, lease, server)


def exchange(s, frame, xid, want, end):
    """Sends FRAME once a second until a reply of DHCP type WANT (or a NAK) comes: (yiaddr, opts, type)."""
    next_send = 0
    while time.time() < end:
        if time.time() >= next_send:
            s.send(frame)
            next_send = time.time() + 1
        try:
            got = s.recv(2048)
        except socket.timeout:
            continue
        reply = parse_reply(got, xid)
        if reply and reply[1].get(53) in (bytes([want]), b"\x06"):
            return reply[0], reply[1], reply[1][53][0]
    return None


def main():
    ifname, mac, timeout = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), float(sys.argv[3])
    request = len(sys.argv) > 4 and sys.argv[4] == "request"
    xid = int.from_bytes(os.urandom(4), "big")
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((ifname, 0))
    s.settimeout(0.2)
    end = time.time() + timeout
    offer = exchange(s, discover(mac, xid), xid, 2, end)
    if not offer or offer[2] != 2:
        print("no DHCPOFFER in %.0f s" % timeout, file=sys.stderr)
        return 3
    print(describe("offer", offer[0], offer[1]), flush=True)
    if not request:
        return 0
    extra = b"\x35\x01\x03" + b"\x32\x04" + socket.inet_aton(offer[0]) + b"\x36\x04" + offer[1][54][:4]
    ack = exchange(s, discover(mac, xid, extra), xid, 5, end)
    if not ack or ack[2] != 5:
        print("no DHCPACK in %.0f s: %s" % (timeout, "a NAK" if ack else "none"), file=sys.stderr)
        return 4
    print(describe("ack", ack[0], ack[1]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
