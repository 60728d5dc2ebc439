#!/usr/bin/env python3
"""Test peer for the namespace tests (AF_PACKET ports, VXLAN), run inside a network namespace with `ip netns exec`.

  send IFNAME                       send the hex frames read from stdin, one per line
  recv IFNAME COUNT TIMEOUT_S       print "ready", then the hex of each received frame that
                                    contains MARKER (VLAN tag restored from PACKET_AUXDATA),
                                    until COUNT frames or TIMEOUT_S seconds
  udp-recv ADDR PORT TIMEOUT_S      print "ready", then the payload (hex) of one UDP datagram
  udp-send SRC DST PORT HEX         send one UDP datagram (the kernel computes the checksum,
                                    or leaves it to offload)
  tcp-recv ADDR PORT TIMEOUT_S      print "ready", accept one connection, print what it sent (hex)
  tcp-send SRC DST PORT HEX         connect, send, close
  echo IFNAME COUNT TIMEOUT_S       print "ready", then send COUNT frames marked ECHO_MARKER one at
                                    a time, each only after the previous one came back (the port
                                    under test echoes them, so it never holds more than one frame);
                                    print "echoed COUNT"; exit 3 if a reply is missing at TIMEOUT_S
  tcp-hash-server ADDR PORT         print "ready", accept one connection, read to EOF, answer the
                                    SHA-256 (hex) of what it read
  tcp-hash-client ADDR PORT BYTES   send BYTES random bytes to a tcp-hash-server, check its answer;
                                    print "OK", then "seconds S": connect to answer, the transfer's
                                    own time without this process's start
  udp-echo-server ADDR PORT COUNT   print "ready", echo datagrams back reversed, at most 5 * COUNT
                                    (5 s without one ends it)
  udp-echo-client ADDR PORT COUNT   COUNT datagrams of varying sizes, each from a new socket (a new
                                    source port, so a new flow), each echo checked; print "OK"
Every mode exits non-zero with a message on stderr when it fails or times out.
"""
import binascii
import hashlib
import os
import socket
import struct
import sys
import time

MARKER = b"JVSTEST"
ECHO_MARKER = b"JVSECHO"
ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6


def send(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((ifname, 0))
    n = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        frame = binascii.unhexlify(line)
        for attempt in range(1000):
            try:
                s.send(frame)
                break
            except BlockingIOError:
                time.sleep(0.001)
            except OSError as e:
                if e.errno == 105:  # ENOBUFS: the qdisc is full, let it drain
                    time.sleep(0.001)
                else:
                    raise
        n += 1
    print("sent %d" % n, flush=True)


def recv(ifname, count, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((ifname, ETH_P_ALL))
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    got = 0
    while got < count:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.stderr.write("recv: timed out after %d of %d frames\n" % (got, count))
            sys.exit(3)
        s.settimeout(left)
        try:
            data, ancdata, _flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(20))
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        for level, kind, cdata in ancdata:
            if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= 20:
                status, _len, _snap, _mac, _net, tci, tpid = struct.unpack("=IIIHHHH", cdata[:20])
                if status & TP_STATUS_VLAN_VALID:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = 0x8100
                    data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
        if MARKER not in data:
            continue
        print(binascii.hexlify(data).decode(), flush=True)
        got += 1


def udp_recv(addr, port, timeout):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(timeout)
    print("ready", flush=True)
    try:
        data = s.recv(65536)
    except socket.timeout:
        sys.stderr.write("udp-recv: no datagram within %ss\n" % timeout)
        sys.exit(3)
    print(binascii.hexlify(data).decode(), flush=True)


def udp_send(src, dst, port, payload_hex):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(binascii.unhexlify(payload_hex), (dst, port))
    print("sent 1", flush=True)


def tcp_recv(addr, port, timeout):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(timeout)
    print("ready", flush=True)
    try:
        c, _ = s.accept()
        c.settimeout(timeout)
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        sys.stderr.write("tcp-recv: timed out\n")
        sys.exit(3)
    print(binascii.hexlify(data).decode(), flush=True)


def tcp_send(src, dst, port, payload_hex):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(20)
    s.bind((src, 0))
    s.connect((dst, port))
    s.sendall(binascii.unhexlify(payload_hex))
    s.close()
    print("sent 1", flush=True)


def echo(ifname, count, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, ETH_P_ALL))
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    for seq in range(count):
        frame = (b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5"
                 + ECHO_MARKER + struct.pack("!I", seq))
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
            if data[14:21] == ECHO_MARKER and struct.unpack("!I", data[21:25])[0] == seq:
                break
    print("echoed %d" % count, flush=True)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_hash_server(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(30)
    print("ready", flush=True)
    c, _ = s.accept()
    c.settimeout(30)
    h = hashlib.sha256()
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
    c.sendall(h.hexdigest().encode())
    c.close()


def tcp_hash_client(addr, port, count):
    data = os.urandom(count)
    t0 = time.monotonic()
    c = socket.create_connection((addr, port), timeout=10)
    c.settimeout(30)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = c.recv(4096)
        if not b:
            break
        got += b
    if got != hashlib.sha256(data).hexdigest().encode():
        sys.stderr.write("tcp-hash-client: the server read something else (answer %r)\n" % got)
        sys.exit(1)
    elapsed = time.monotonic() - t0
    print("OK", flush=True)
    print("seconds %.6f" % elapsed, flush=True)


def udp_echo_server(addr, port, count):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(5)
    print("ready", flush=True)
    for _ in range(5 * count):
        try:
            b, peer = s.recvfrom(65536)
        except socket.timeout:
            break
        s.sendto(b[::-1], peer)


def udp_echo_client(addr, port, count):
    ok = 0
    for i in range(count):
        s = socket.socket(family(addr), socket.SOCK_DGRAM)
        s.settimeout(2)
        payload = os.urandom(20 + 97 * i % 1300)
        for _ in range(5):
            s.sendto(payload, (addr, port))
            try:
                b, _ = s.recvfrom(65536)
            except socket.timeout:
                continue
            if b == payload[::-1]:
                ok += 1
            break
        s.close()
    if ok != count:
        sys.stderr.write("udp-echo-client: only %d of %d datagrams came back right\n" % (ok, count))
        sys.exit(1)
    print("OK", flush=True)


def main(argv):
    mode = argv[1]
    if mode == "send":
        send(argv[2])
    elif mode == "recv":
        recv(argv[2], int(argv[3]), float(argv[4]))
    elif mode == "udp-recv":
        udp_recv(argv[2], int(argv[3]), float(argv[4]))
    elif mode == "udp-send":
        udp_send(argv[2], argv[3], int(argv[4]), argv[5])
    elif mode == "tcp-recv":
        tcp_recv(argv[2], int(argv[3]), float(argv[4]))
    elif mode == "tcp-send":
        tcp_send(argv[2], argv[3], int(argv[4]), argv[5])
    elif mode == "echo":
        echo(argv[2], int(argv[3]), float(argv[4]))
    elif mode == "tcp-hash-server":
        tcp_hash_server(argv[2], int(argv[3]))
    elif mode == "tcp-hash-client":
        tcp_hash_client(argv[2], int(argv[3]), int(argv[4]))
    elif mode == "udp-echo-server":
        udp_echo_server(argv[2], int(argv[3]), int(argv[4]))
    elif mode == "udp-echo-client":
        udp_echo_client(argv[2], int(argv[3]), int(argv[4]))
    else:
        sys.stderr.write("unknown mode %s\n" % mode)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
