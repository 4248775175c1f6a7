"""CVs: PDF only (judged by content, not by name), size-limited, stored outside the web root."""
from __future__ import annotations

import io
import secrets
from pathlib import Path

from pypdf import PdfReader

from portal.config import Settings

RECOVERY_LIMIT = 1000  # objects pypdf may scan for a lost catalogue; only the first page is ever read


def problem_with(data: bytes, max_bytes: int) -> str | None:
    """Why this upload cannot be kept as a CV, or None when it is a readable PDF within the limit."""
    if len(data) > max_bytes:
        return f"The CV must be {max_bytes // (1024 * 1024)} MB or smaller."
    if not data.startswith(b"%PDF-"):
        return "The CV must be a PDF file."
    try:
        PdfReader(io.BytesIO(data), root_object_recovery_limit=RECOVERY_LIMIT).pages[0]
    except Exception:  # noqa: BLE001  a crafted file can make the parser raise anything: not a readable PDF
        return "The CV could not be opened as a PDF. Save it again as a PDF and upload that."
    return None


def store(settings: Settings, data: bytes) -> str:
    """Keep the file under a random name nobody can guess; the name goes in the database."""
    folder = settings.upload_dir / "cv"
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + ".pdf"
    (folder / name).write_bytes(data)
    return name


def path_of(settings: Settings, name: str) -> Path:
    return settings.upload_dir / "cv" / Path(name).name
