"""Traffic for NetnsConntrackTest: a bounded server (h2) and client checks (h1); only 10.77.0.x."""
import hashlib
import socket
import sys
import threading
import time


def serve(deadline):
    """TCP 5001: reply with the peer the server sees, then the sha256 of all bytes read.
    TCP 8080: reply with the peer. UDP 5353: echo."""
    def handle(conn, peer):
        with conn:
            conn.settimeout(30)
            conn.sendall(("%s:%d\n" % peer).encode())
            h = hashlib.sha256()
            while True:
                b = conn.recv(65536)
                if not b:
                    break
                h.update(b)
            conn.sendall(h.hexdigest().encode())

    def listen(port):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(1024)
        s.settimeout(1)
        while time.time() < deadline:
            try:
                c, peer = s.accept()
            except socket.timeout:
                continue
            threading.Thread(target=handle, args=(c, peer), daemon=True).start()

    def udp():
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("0.0.0.0", 5353))
        u.settimeout(1)
        while time.time() < deadline:
            try:
                b, peer = u.recvfrom(2048)
            except socket.timeout:
                continue
            u.sendto(b, peer)

    for t in (lambda: listen(5001), lambda: listen(8080), udp):
        threading.Thread(target=t, daemon=True).start()
    print("ready", flush=True)
    while time.time() < deadline:
        time.sleep(0.5)


def read_line(s):
    out = b""
    while not out.endswith(b"\n"):
        b = s.recv(1)
        if not b:
            break
        out += b
    return out.decode().strip()


def bulk(size):
    data = bytes((i * 7 + 3) & 0xff for i in range(65536)) * (size // 65536)
    s = socket.create_connection(("10.77.0.2", 5001), timeout=20)
    peer = read_line(s)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
    ok = got.decode() == hashlib.sha256(data).hexdigest()
    print("bulk %s %d bytes seen-from %s" % ("ok" if ok else "BAD", len(data), peer))


def many(n):
    socks = []
    for _ in range(n):
        socks.append(socket.create_connection(("10.77.0.2", 5001), timeout=20))
    peers = [read_line(s) for s in socks]
    for s in socks:
        s.close()
    addrs = set(p.split(":")[0] for p in peers)
    ports = [int(p.split(":")[1]) for p in peers]
    print("many %d distinct-ports %d addrs %s min %d max %d" % (
        len(peers), len(set(ports)), ",".join(sorted(addrs)), min(ports), max(ports)))


def dnat():
    s = socket.create_connection(("10.77.0.200", 80), timeout=10)
    peer = read_line(s)
    print("dnat seen-from %s peer %s:%d" % ((peer,) + s.getpeername()))
    s.close()


def udp_echo():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.sendto(b"ping", ("10.77.0.2", 5353))
    b, peer = u.recvfrom(100)
    print("udp %s from %s:%d" % (b.decode(), peer[0], peer[1]))


def refused():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.connect(("10.77.0.2", 9))
    u.send(b"x")
    try:
        u.recv(100)
        print("refused NO (answered)")
    except ConnectionRefusedError:
        print("refused ok")
    except socket.timeout:
        print("refused NO (timeout)")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "serve":
        serve(time.time() + float(sys.argv[2]))
    elif cmd == "bulk":
        bulk(int(sys.argv[2]))
    elif cmd == "many":
        many(int(sys.argv[2]))
    elif cmd == "dnat":
        dnat()
    elif cmd == "udp":
        udp_echo()
    elif cmd == "refused":
        refused()
