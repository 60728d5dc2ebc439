#!/usr/bin/env python3
"""Lone-frame echo client for AfPacketLoneFrameTest, run inside a network namespace.

  echo.py IFNAME COUNT TIMEOUT_S

Prints "ready", then sends COUNT marked frames one at a time: each is sent only after the
previous one came back (the port under test echoes them), so the port never holds more than one
frame and a ring that waits for a block to fill would wait for its timer every time. Prints
"echoed COUNT" and exits 0, or exits 3 with a message on stderr when a reply does not come back
within the overall TIMEOUT_S.
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
MARKER = b"JVSECHO"


def main(ifname, count, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, ETH_P_ALL))
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    for seq in range(count):
        frame = (b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5"
                 + MARKER + struct.pack("!I", seq))
        s.send(frame + bytes(60 - len(frame)))
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.stderr.write("echo: no reply to frame %d of %d\n" % (seq, count))
                sys.exit(3)
            s.settimeout(left)
            try:
                data, addr = s.recvfrom(65536)
            except socket.timeout:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if data[14:21] == MARKER and struct.unpack("!I", data[21:25])[0] == seq:
                break
    print("echoed %d" % count, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
