# Traffic ends for the VXLAN tests, run inside network namespaces with "ip netns exec".
#   tcp-server IP PORT             accept one connection, read to EOF, answer the SHA-256 of it
#   tcp-client IP PORT BYTES       send BYTES random bytes, check the answer; prints OK
#   udp-server IP PORT COUNT       echo datagrams back reversed, at most 5 * COUNT (5 s without one ends it)
#   udp-client IP PORT COUNT       COUNT datagrams, each from a new socket (a new source port),
#                                  of varying sizes; prints OK when every echo is right
# Every wait is bounded; a failure prints a reason and exits non-zero.
import hashlib, os, socket, sys, time

mode, ip, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ':' in ip else socket.AF_INET

if mode == 'tcp-server':
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    s.listen(1)
    s.settimeout(30)
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
elif mode == 'tcp-client':
    n = int(sys.argv[4])
    data = os.urandom(n)
    deadline = time.time() + 20
    while True:
        try:
            c = socket.create_connection((ip, port), timeout=5)
            break
        except OSError as e:
            if time.time() > deadline:
                print('connect failed: %s' % e)
                sys.exit(1)
            time.sleep(0.2)
    c.settimeout(30)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    got = b''
    while True:
        b = c.recv(4096)
        if not b:
            break
        got += b
    want = hashlib.sha256(data).hexdigest().encode()
    print('OK' if got == want else 'MISMATCH %r != %r' % (got, want))
elif mode == 'udp-server':
    count = int(sys.argv[4])
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((ip, port))
    s.settimeout(5)
    for _ in range(5 * count):
        try:
            b, peer = s.recvfrom(65536)
        except socket.timeout:
            break
        s.sendto(b[::-1], peer)
elif mode == 'udp-client':
    count = int(sys.argv[4])
    ok = 0
    for i in range(count):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.settimeout(2)
        payload = os.urandom(20 + 97 * i % 1300)
        for attempt in range(5):
            s.sendto(payload, (ip, port))
            try:
                b, _ = s.recvfrom(65536)
            except socket.timeout:
                continue
            if b == payload[::-1]:
                ok += 1
            break
        s.close()
    print('OK' if ok == count else 'ONLY %d OF %d' % (ok, count))
else:
    print('unknown mode ' + mode)
    sys.exit(2)
