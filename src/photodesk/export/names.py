"""Safe file names from any text: what an export may call the files it writes."""

from __future__ import annotations

import re
import unicodedata

from photodesk.text import without_controls

NAME_BYTES = 120
_UNSAFE = set('/\\:*?"<>|')  # separators here or on Windows, and what Windows refuses
_LEADING = ".-_=+@ "  # hidden files, options to a shell, formulas to a spreadsheet
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_DOTS = re.compile(r"\.{2,}")
_DASHES = re.compile(r"[-.]*-[-.]*")


def safe_name(text: str, fallback: str) -> str:
    """A file name stem from any text: no separators, no control characters, no leading dot.

    Letters of any script are kept; everything else becomes "-". The result
    never starts with a dot, dash or formula character, never holds "..",
    and fits NAME_BYTES in UTF-8. Empty or reserved results become `fallback`
    (which must itself be safe).
    """
    text = unicodedata.normalize("NFC", without_controls(text))
    out = []
    for ch in text:
        if unicodedata.category(ch)[0] == "C":  # controls, bidi overrides, unassigned
            continue
        ok = (ch.isalnum() or ch in "-_.()") and ch not in _UNSAFE
        out.append(ch if ok else "-")
    # No "..", and a dot beside a dash is debris of a path ("/../" became "-..-"): one dash.
    name = _DASHES.sub("-", _DOTS.sub(".", "".join(out)))
    name = name.lstrip(_LEADING).rstrip(".- ")
    while len(name.encode("utf-8")) > NAME_BYTES:
        name = name[:-1].rstrip(".- ")
    if not name or name.split(".")[0].upper() in _RESERVED:
        return fallback
    return name
