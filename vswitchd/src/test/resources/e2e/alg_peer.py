"""FTP and TFTP peers for NetnsConntrackAlgTest: a minimal FTP server (USER, PASS, TYPE, PORT,
EPRT, PASV, EPSV, RETR, QUIT) and a TFTP server that answers a read request from a new port,
serving one file of known content; an ftplib client. Bounded by a deadline; only 10.77.0.x."""
import hashlib
import socket
import struct
import sys
import threading
import time

SIZE = 262144


def content():
    return bytes((i * 7 + i // 251) & 0xff for i in range(SIZE))


def ftp_server(deadline, s):
    data = content()

    def session(conn):
        conn.settimeout(20)
        f = conn.makefile("rb")
        send = lambda line: conn.sendall((line + "\r\n").encode())
        send("220 jvs alg test")
        active = None
        passive = None
        while time.time() < deadline:
            line = f.readline()
            if not line:
                return
            parts = line.decode().strip().split(" ", 1)
            cmd = parts[0].upper()
            arg = parts[1] if len(parts) > 1 else ""
            if cmd == "USER":
                send("331 password")
            elif cmd == "PASS":
                send("230 in")
            elif cmd in ("TYPE", "MODE", "STRU"):
                send("200 ok")
            elif cmd == "PORT":
                n = arg.split(",")
                active = (".".join(n[:4]), int(n[4]) * 256 + int(n[5]))
                send("200 PORT ok")
            elif cmd == "EPRT":
                n = arg.split(arg[0])
                active = (n[2], int(n[3]))
                send("200 EPRT ok")
            elif cmd in ("PASV", "EPSV"):
                passive = socket.socket()
                passive.bind((conn.getsockname()[0], 0))
                passive.listen(1)
                passive.settimeout(10)
                port = passive.getsockname()[1]
                if cmd == "PASV":
                    host = conn.getsockname()[0].replace(".", ",")
                    send("227 Entering Passive Mode (%s,%d,%d)." % (host, port // 256, port % 256))
                else:
                    send("229 Entering Extended Passive Mode (|||%d|)" % port)
            elif cmd == "RETR":
                try:
                    if passive is not None:
                        d, _ = passive.accept()
                        passive.close()
                        passive = None
                    else:
                        d = socket.socket()
                        d.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        d.bind((conn.getsockname()[0], 20))
                        d.settimeout(5)
                        d.connect(active)
                    send("150 sending")
                    d.sendall(data)
                    d.close()
                    send("226 done")
                except OSError as e:
                    send("425 no data connection: %s" % e)
            elif cmd == "QUIT":
                send("221 bye")
                return
            else:
                send("502 not here")

    while time.time() < deadline:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=session, args=(c,), daemon=True).start()


def tftp_server(deadline, u):
    data = content()

    def transfer(peer):
        t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a new port, as TFTP answers
        t.bind(("0.0.0.0", 0))
        t.settimeout(2)
        block = 1
        while True:
            chunk = data[(block - 1) * 512:block * 512]
            for _ in range(5):
                t.sendto(struct.pack("!HH", 3, block & 0xffff) + chunk, peer)
                try:
                    ack, _ = t.recvfrom(64)
                except socket.timeout:
                    continue
                if struct.unpack("!HH", ack[:4]) == (4, block & 0xffff):
                    break
            else:
                return
            if len(chunk) < 512:
                return
            block += 1

    while time.time() < deadline:
        try:
            req, peer = u.recvfrom(1024)
        except socket.timeout:
            continue
        if struct.unpack("!H", req[:2])[0] == 1:
            threading.Thread(target=transfer, args=(peer,), daemon=True).start()


def get(host, mode):
    import ftplib
    ftp = ftplib.FTP()
    ftp.connect(host, 21, timeout=4)
    ftp.login("anonymous", "x")
    ftp.set_pasv(mode == "passive")
    h = hashlib.sha256()
    ftp.retrbinary("RETR data", h.update)
    ftp.quit()
    print("ok" if h.hexdigest() == hashlib.sha256(content()).hexdigest() else "corrupt")


def main():
    if sys.argv[1] == "serve":
        deadline = time.time() + float(sys.argv[2])
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 21))
        s.listen(16)
        s.settimeout(1)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("0.0.0.0", 69))
        u.settimeout(1)
        threading.Thread(target=tftp_server, args=(deadline, u), daemon=True).start()
        t = threading.Thread(target=ftp_server, args=(deadline, s), daemon=True)
        t.start()
        print("ready", flush=True)
        t.join()
    elif sys.argv[1] == "get":
        get(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "digest":
        print(hashlib.sha256(content()).hexdigest())


main()
