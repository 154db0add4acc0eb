# sslsnoop's and ssllatency's trigger: one TLS handshake over a socket pair, server and
# client in two threads of this process, with a throwaway self-signed certificate.
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time

with tempfile.TemporaryDirectory() as d:
    key, cert = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-subj", "/CN=bt", "-days", "1"], check=True, capture_output=True)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.load_verify_locations(cert)
    client_ctx.check_hostname = False
    a, b = socket.socketpair()
    server = server_ctx.wrap_socket(a, server_side=True, do_handshake_on_connect=False)
    client = client_ctx.wrap_socket(b, do_handshake_on_connect=False)
    t = threading.Thread(target=server.do_handshake)
    t.start()
    client.do_handshake()
    t.join()
# bpftrace 0.17 names a uretprobe's function when it prints the line, from the live
# process: under load it printed the second handshake's as an address after the exit.
time.sleep(1)
