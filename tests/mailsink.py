"""A real SMTP server for tests: aiosmtpd on a free loopback port, keeping what it receives.

The board talks to it with smtplib exactly as it would to a production relay, so a test
that reads a message here proves the whole path: template, headers, SMTP, link.
"""

from __future__ import annotations

import re
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.liveserver import free_port

_LINK = re.compile(r"https?://\S+")


class _Handler:
    def __init__(self, sink: MailSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class MailSink:
    """Receives mail over SMTP; ``messages`` in arrival order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> MailSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        """Every message sent to ``address`` (case-insensitive)."""
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def latest(self, address: str | None = None) -> EmailMessage:
        """The newest message (to ``address``); fails the test if there is none."""
        found = self.to(address) if address else list(self.messages)
        assert found, f"no mail{' to ' + address if address else ''} in the sink"
        return found[-1]

    @staticmethod
    def body(message: EmailMessage) -> str:
        """The plain-text body."""
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, address: str | None = None) -> str:
        """The first link in the newest message (to ``address``)."""
        match = _LINK.search(self.body(self.latest(address)))
        assert match, "no link in the mail"
        return match.group(0)
