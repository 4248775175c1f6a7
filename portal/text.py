"""What typed text may contain: the one rule behind the forms, the API schema, e-mail headers and the clean-up.

One-line text (titles, names, headlines) may hold no control or format character (Unicode Cc and Cf: CR,
LF, TAB, NUL, the right-to-left override U+202E, zero-width spaces…); such a character breaks e-mail
headers, CSV exports and what people see. Multi-line text may also hold TAB, CR and LF. The zero-width
joiner and non-joiner stay allowed in both: Persian and Indic names and emoji need them to be spelt right.
"""
from __future__ import annotations

import re
import sys
import unicodedata

REFUSED_CATEGORIES = ("Cc", "Cf")
# Lone surrogates are no text at all; JSON can still send them ("\ud800"). Refused here too, but left out of
# the published patterns, which no UTF-8 document (nor schemathesis) can carry.
SURROGATES = "\ud800-\udfff"
JOINERS = "\u200c\u200d"
LINE_BREAKS = "\t\n\r"
ONE_LINE_MESSAGE = "Use one line of ordinary text: remove line breaks, tabs and invisible characters."
MULTI_LINE_MESSAGE = "Remove the unusual or invisible characters from this answer."


def _control_ranges(allowed: str) -> str:
    """Every character of the refused categories but `allowed`, as the inside of a character class."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if unicodedata.category(character) not in REFUSED_CATEGORIES or character in allowed:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                   for low, high in ranges)


_ONE_LINE_CONTROLS = _control_ranges(JOINERS)
_MULTI_LINE_CONTROLS = _control_ranges(JOINERS + LINE_BREAKS)
ONE_LINE_PATTERN = f"^[^{_ONE_LINE_CONTROLS}]*$"
MULTI_LINE_PATTERN = f"^[^{_MULTI_LINE_CONTROLS}]*$"
FILLED_ONE_LINE_PATTERN = f"^[^{_ONE_LINE_CONTROLS}]*[^\\s{_ONE_LINE_CONTROLS}][^{_ONE_LINE_CONTROLS}]*$"
FILLED_MULTI_LINE_PATTERN = f"^[^{_MULTI_LINE_CONTROLS}]*[^\\s{_MULTI_LINE_CONTROLS}][^{_MULTI_LINE_CONTROLS}]*$"
_ONE_LINE_RUNS = re.compile(f"[{_ONE_LINE_CONTROLS}{SURROGATES}]+")
_MULTI_LINE_FOUND = re.compile(f"[{_MULTI_LINE_CONTROLS}{SURROGATES}]")


def problem(value: str | None, *, multi_line: bool = False) -> str | None:
    """Why this text cannot be kept as typed, or None when it is fine."""
    if not value:
        return None
    if multi_line:
        return MULTI_LINE_MESSAGE if _MULTI_LINE_FOUND.search(value) else None
    return ONE_LINE_MESSAGE if _ONE_LINE_RUNS.search(value) else None


def one_line(value: str | None) -> str | None:
    """The text with each run of control characters made one space, trimmed: safe in a header or a cell."""
    if value is None:
        return None
    return _ONE_LINE_RUNS.sub(" ", value).strip()
