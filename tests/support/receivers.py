"""Real receivers on 127.0.0.1 for the tests of messages the app sends: an
SMTP server (aiosmtpd) and a webhook endpoint. They keep what they accept,
can refuse the first tries of each message, and the SMTP server can take its
time answering (so runs overlap)."""

from __future__ import annotations

import asyncio
import email
import json
import os
import socket
import subprocess
import sys
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from conftest import ROOT, free_port


class Listener:
    """A bare TCP receiver on 127.0.0.1: each connection it accepts goes to `handle`."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port, self.connections = self.sock.getsockname()[1], 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.handle(conn)

    def handle(self, conn):
        raise NotImplementedError

    def close(self):
        self.sock.close()


class Mailbox:
    """aiosmtpd handler: keeps accepted messages; refuses the first `fail`
    tries of each (by Message-ID); waits `delay` seconds before answering."""

    def __init__(self, fail: int = 0, delay: float = 0.0):
        self.messages, self.tries, self.fail, self.delay = [], {}, fail, delay

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        mid = msg["Message-ID"]
        self.tries[mid] = self.tries.get(mid, 0) + 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.tries[mid] <= self.fail:
            return "451 4.3.0 try again later"
        self.messages.append((envelope.rcpt_tos, msg))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if rcpt == [address]]


def start(**kw) -> tuple[Mailbox, Controller]:
    box = Mailbox(**kw)
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    return box, controller


class Webhook:
    """A webhook receiver on 127.0.0.1: records every request (Idempotency-Key,
    JSON body); refuses the first `fail` tries of each key with HTTP 500, or
    hangs on the `block_at`-th request; `before_ack` runs before each 200."""

    def __init__(self, fail: int = 0, block_at: int | None = None, before_ack=None):
        self.received, self.acked, self.fail, self.block_at = [], [], fail, block_at
        self.before_ack = before_ack  # called before each acknowledgement
        self.blocked, self.release = threading.Event(), threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                receiver.received.append((key, body))
                if len(receiver.received) == receiver.block_at:
                    receiver.blocked.set()
                    receiver.release.wait(30)
                    self.close_connection = True
                    return  # never answers: the sender cannot know it arrived
                if sum(k == key for k, _ in receiver.received) <= receiver.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                if receiver.before_ack:
                    receiver.before_ack()
                receiver.acked.append(key)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook/secret-token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def smtp_config(port: int):
    from nps_core.followup import channels

    return channels.Config(smtp_host="127.0.0.1", smtp_port=port, smtp_from="nps@example.com")


def run_cli(db, port: int, *args) -> subprocess.Popen:
    """`python -m nps_core ARGS --db DB --json` in its own process, mailing to 127.0.0.1:PORT."""
    env = {**os.environ, "NPS_SMTP_HOST": "127.0.0.1", "NPS_SMTP_PORT": str(port), "NPS_SMTP_FROM": "nps@example.com",
           "NPS_ALERT_BACKOFF": "0.05", "NPS_SECRETS_FILE": os.devnull}
    return subprocess.Popen([sys.executable, "-m", "nps_core", *args, "--db", str(db), "--json"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
