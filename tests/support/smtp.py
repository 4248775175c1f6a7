"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
from __future__ import annotations

import asyncio
import logging
import re
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Callable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


class Mailbox:
    """Every message the server accepted; `refuse` makes it answer 451 for a while."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.delay_seconds = 0.0
        self.unknown_addresses: set[str] = set()
        self.receiving = threading.Event()
        self._lock = threading.Condition()

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, rcpt_options) -> str:
        if address.lower() in self.unknown_addresses:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        if self.delay_seconds:
            self.receiving.set()
            await asyncio.sleep(self.delay_seconds)
            if session.transport is None or session.transport.is_closing():
                return "421 4.4.2 Connection dropped before the message was accepted"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self.messages.append(message)
            self._lock.notify_all()
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
        self.refuse = False
        self.delay_seconds = 0.0
        self.unknown_addresses.clear()
        self.receiving.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    def wait_for(self, predicate: Callable[[EmailMessage], bool], timeout: float = 20.0,
                 count: int = 1) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [m for m in self.messages if predicate(m)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [(m["To"], m["Subject"]) for m in self.messages]
                    raise AssertionError(f"expected {count} matching e-mail(s) within {timeout}s; got {subjects}")
                self._lock.wait(remaining)

    def wait_for_to(self, address: str, subject_contains: str = "", timeout: float = 20.0) -> EmailMessage:
        return self.wait_for(lambda m: address.lower() in m["To"].lower()
                             and subject_contains.lower() in m["Subject"].lower(), timeout)[-1]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The full address of the first link in the message's text whose path starts with `path`."""
    found = re.search(r"http://127\.0\.0\.1:\d+" + re.escape(path) + r"[\w.\-/]*", text_of(message))
    assert found, text_of(message)
    return found.group(0)


def start_smtp_server() -> tuple[Controller, Mailbox]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
