# pyftpdlib for the bench: anonymous, writable, on loopback, passive ports in a fixed range, logging off.
# Run with Debian's interpreter (/usr/bin/python3, which has python3-pyftpdlib): pyftpd.py PORT DIR PASV_MIN PASV_MAX
import logging
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    port, directory, pasv_min, pasv_max = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    logging.basicConfig(level=logging.WARNING)          # the stock INFO log writes a line per command
    authorizer = DummyAuthorizer()
    authorizer.add_anonymous(directory, perm="elradfmwMT")
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.passive_ports = range(pasv_min, pasv_max + 1)
    handler.masquerade_address = None
    server = FTPServer(("127.0.0.1", port), handler)
    print(f"pyftpdlib {__import__('pyftpdlib').__ver__} listening on port {server.address[1]}", flush=True)
    try:
        server.serve_forever(handle_exit=True)
    finally:
        server.close_all()


if __name__ == "__main__":
    main()
