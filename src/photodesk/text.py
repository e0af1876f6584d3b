"""Catalog text is data: make it safe to put on a terminal without being interpreted."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts terminal escape sequences) except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """Show control characters as visible escapes instead of letting the terminal act on them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
