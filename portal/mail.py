"""Rendering e-mail from templates/email/ and the two ways of sending it (SMTP, files)."""
from __future__ import annotations

import hashlib
import logging
import smtplib
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Protocol

from flask import current_app

from portal import text
from portal.models import OutboxMessage
from portal.urls import external_url
from workflows import clock

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The server refused the recipient for good (5xx): retrying will not help."""


def _context(message: OutboxMessage, has_account: bool = True) -> dict:
    """What every e-mail may use. A recipient without an account (a manager answering by signed link) gets no link
    to a page that needs signing in: `settings_url` is None and `has_account` False."""
    settings = current_app.config["SETTINGS"]
    context = dict(message.context, recipient_name=message.recipient_name or "", base_url=settings.portal_base_url,
                   has_account=has_account,
                   settings_url=external_url("notifications.settings") if has_account else None)
    return context


def subject(message: OutboxMessage) -> str:
    """One line whatever the record holds (a title typed with a line break): a header cannot carry more."""
    template = current_app.jinja_env.get_template(f"email/{message.template}.txt")
    return text.one_line("".join(template.blocks["subject"](template.new_context(_context(message)))))


def render(message: OutboxMessage, mail_from: str, unsubscribe_url: str | None = None,
           has_account: bool = True) -> EmailMessage:
    """Subject, plain-text and HTML parts from templates/email/<template>.{txt,html}."""
    env = current_app.jinja_env
    context = _context(message, has_account)
    text_template = env.get_template(f"email/{message.template}.txt")
    email = EmailMessage()
    email["Subject"] = subject(message)
    email["From"] = mail_from
    email["To"] = formataddr((text.one_line(message.recipient_name) or "", text.one_line(message.recipient)))
    email["Message-ID"] = message_id(message)
    email["Date"] = format_datetime(clock.utcnow())
    email["X-Portal-Template"] = message.template
    if unsubscribe_url:
        email["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(text_template.render(context))
    email.add_alternative(env.get_template(f"email/{message.template}.html").render(context), subtype="html")
    return email


def message_id(message: OutboxMessage) -> str:
    """Stable per idempotency key, so a receiving system can drop a repeat we could not prevent."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:24]
    return f"<outbox.{message.id}.{digest}@opportunities.apps.gov.au>"


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...


@dataclass
class SMTPTransport:
    """Keeps one SMTP connection open per worker process and reconnects when the server drops it."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 20.0
    _connection: smtplib.SMTP | None = field(default=None, repr=False)

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        fresh = self._connection is None
        if fresh:
            self._connection = self._connect()
        try:
            self._connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentFailure(str(refused.recipients)) from refused
            raise
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError):
            self.close()
            if fresh:
                raise
            self._connection = self._connect()  # a kept connection went stale: one fresh try
            self.send(email)

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None


@dataclass
class FileTransport:
    """Embedded mode: each e-mail becomes an .eml file under instance/mail/."""

    folder: Path

    def send(self, email: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = email["Message-ID"].strip("<>").split("@")[0]
        temporary = self.folder / f".{stem}.tmp"
        temporary.write_bytes(bytes(email))
        temporary.replace(self.folder / f"{stem}.eml")


_transports: dict[tuple, Transport] = {}


def transport_from_settings(settings) -> Transport:
    """One transport per thread and server, so its SMTP connection is reused message after message."""
    key = (threading.get_ident(), settings.smtp_host, settings.smtp_port, settings.smtp_username,
           str(settings.mail_dir))
    if key not in _transports:
        _transports[key] = (SMTPTransport(settings.smtp_host, settings.smtp_port, settings.smtp_username,
                                          settings.smtp_password, settings.smtp_starttls)
                            if settings.smtp_host else FileTransport(settings.mail_dir))
    return _transports[key]
