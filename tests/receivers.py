"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests of messages the
app sends by e-mail: it keeps what it accepts, can refuse the first tries of
each message and can take its time answering (so runs overlap)."""

from __future__ import annotations

import asyncio
import email
from email import policy

from aiosmtpd.controller import Controller
from conftest import free_port


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
