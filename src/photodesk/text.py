"""Catalog text is data: make it safe to put on a terminal without being interpreted."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts terminal escape sequences) except tab and newline,
# and the bidirectional overrides that can make text display in another order.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str, single_line: bool = False) -> str:
    """Show control characters as visible escapes instead of letting the terminal act on them.

    `single_line` also escapes tabs and line breaks, for table cells and file names.
    """
    text = _CONTROL.sub(_escape, text)
    return _LINE_BREAKS.sub(_escape, text) if single_line else text


def for_json(dumped: str) -> str:
    """JSON text with C1 controls and bidi overrides escaped too (json escapes only C0).

    Inside a JSON string `\\u202e` means the same character, so a reader gets
    the data unchanged while a terminal showing the output is never steered.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def display_path(path: str) -> str:
    """A path as text: bytes that are not UTF-8 (names from old Windows zips) become escapes.

    The real path (with its surrogate escapes) is still what opens the file.
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_C0_C1 = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """Text to embed in a file: control characters (ESC, NUL…) dropped, tab and newline kept.

    In IPTC-IIM an ESC starts a character-set designation, so a stray one can
    make a reader decode the rest of the caption as something else.
    """
    return _C0_C1.sub("", text)
