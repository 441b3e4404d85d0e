"""Python's ftplib as a test client: uploads one file to the simulator and prints the server's final reply.

usage: ftplib_client.py PORT MODE FILE NAME [abort-after-bytes]
MODE: pasv (ftplib's IPv4 default), epsv (forced, as ftplib does on IPv6), port (active).
With abort-after-bytes, the upload stops after that many bytes and ftplib.abort() sends a plain ABOR.
"""
import ftplib
import socket
import sys

port, mode, path, name = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
abort_after = int(sys.argv[5]) if len(sys.argv) > 5 else None

ftp = ftplib.FTP()
ftp.connect("127.0.0.1", port, timeout=30)
ftp.login("user", "secret")
ftp.cwd("PORT1")
if mode == "port":
    ftp.set_pasv(False)
elif mode == "epsv":
    ftp.af = socket.AF_INET6  # makes makepasv() send EPSV; the data connection still goes to the IPv4 peer
with open(path, "rb") as source:
    if abort_after is None:
        print(ftp.storbinary("STOR " + name, source, blocksize=8192))
    else:
        ftp.voidcmd("TYPE I")  # storbinary() says TYPE I itself; transfercmd() does not, and TYPE A is the default
        conn = ftp.transfercmd("STOR " + name)
        conn.sendall(source.read(abort_after))
        reply = ftp.abort()
        print("abort:", reply.strip())
        if reply.startswith("426"):
            # ftplib.abort() reads one reply; RFC 959 sends two (426 for the transfer, then 226 for ABOR)
            print("abort:", ftp.getresp().strip())
        conn.close()
        print("next:", ftp.voidcmd("NOOP"))
print(ftp.quit())
