"""PDFs in tests: a small one holding some text (an uploaded CV), and the text of one read back with pypdf."""
from __future__ import annotations

import io
from html import escape

from pypdf import PdfReader, PdfWriter
from weasyprint import HTML


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose extractable text is `text`, drawn by the same WeasyPrint the portal uses, then
    rewritten by pypdf with a classic cross-reference table (the hostile-file tests rewrite that table)."""
    drawn = HTML(string=f"<!DOCTYPE html><html lang='en'><body><p>{escape(text)}</p></body></html>").write_pdf()
    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(drawn))).write(out)
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    """Every page's text, whitespace collapsed to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
