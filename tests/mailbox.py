"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


@dataclass
class ReceivedEmail:
    to: list[str]
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def link(self, contains: str = "/account/") -> str:
        """The first link in the body whose address contains ``contains``."""
        for url in re.findall(r"https?://\S+", self.body):
            if contains in url:
                return url
        raise AssertionError(f"No link containing {contains!r} in:\n{self.body}")


class Mailbox:
    """Collects every message the SMTP server receives."""

    def __init__(self):
        self.messages: list[ReceivedEmail] = []
        self._lock = threading.Lock()
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "451 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        with self._lock:
            self.messages.append(
                ReceivedEmail(
                    [a.lower() for a in envelope.rcpt_tos],
                    message["Subject"],
                    body,
                    {name: str(value) for name, value in message.items()},
                )
            )
        return "250 Message accepted"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
        self.refuse = False

    def to(self, address: str) -> list[ReceivedEmail]:
        with self._lock:
            return [m for m in self.messages if address.lower() in m.to]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> ReceivedEmail:
        """The latest message to ``address`` once ``count`` have arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"No email to {address} within {timeout}s; got {self.messages}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_server() -> tuple[Controller, Mailbox]:
    """A real SMTP server on a free loopback port. Another process may take a port between
    choosing it and binding it, so a few ports are tried before giving up."""
    mailbox = Mailbox()
    for attempt in range(5):
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        try:
            controller.start()
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
            continue
        return controller, mailbox
    raise AssertionError("unreachable")
