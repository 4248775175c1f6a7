"""Development mail page: the e-mails the embedded mode wrote to instance/mail/ (not in production)."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")


LOOPBACK = {"127.0.0.1", "::1"}


FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


@bp.before_request
def _only_from_this_machine():
    """The page lists every e-mail, password-reset links included: only whoever sits at the machine
    running the embedded portal may read it, never someone else who can reach it over the network, also
    not through a reverse proxy on the same machine (whose requests come from 127.0.0.1 too)."""
    if request.remote_addr not in LOOPBACK or any(name in request.headers for name in FORWARDED):
        abort(404)


def _folder() -> Path:
    return current_app.config["SETTINGS"].mail_dir


def _read(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


@bp.route("/")
def index():
    files = sorted(_folder().glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)[:200]
    messages = [(p.stem, _read(p)) for p in files]
    return render_template("devmail/index.html", messages=messages)


@bp.route("/<name>")
def show(name: str):
    path = _folder() / f"{name}.eml"
    if "/" in name or not path.is_file():
        abort(404, "No such e-mail.")
    message = _read(path)
    text = message.get_body(preferencelist=("plain",))
    attachments = [part.get_filename() for part in message.iter_attachments()]
    return render_template("devmail/show.html", message=message, text=text.get_content() if text else "",
                           attachments=attachments)
