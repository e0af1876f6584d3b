"""The caption sheet as Markdown for the web desk.

Catalog text is escaped so that no renderer reads it as markup: every ASCII
punctuation character a Markdown or HTML reader could act on is
backslash-escaped (CommonMark shows such a character literally), so
`<script>` or `[x](javascript:…)` in a caption stays text.
"""

from __future__ import annotations

import re
from pathlib import Path

from photodesk.export import SheetOptions, save
from photodesk.export.sheet import CaptionSheet, Item

# Inline markup anywhere (emphasis, code, links, HTML, tables, entities) ...
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
# ... and what starts a block only at the start of a line (lists, rules, quotes).
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)(?=[.)]))", re.M)


def _block_start(m: re.Match[str]) -> str:
    indent, mark, number = m.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\"  # "1\." is not a list


def escape(text: str | None) -> str:
    """Markdown-inert text."""
    return _LINE_START.sub(_block_start, _SPECIAL.sub(r"\\\1", text or ""))


def _item(item: Item) -> list[str]:
    title = escape(item.headline) or "*(no headline)*"
    lines = [f"## {item.number}. {title}", ""]
    facts = [("File", " + ".join(item.file_names)), ("Date", item.date)]
    if item.span:
        facts.append(("Apart", item.span))
    facts += [("Shown", item.shown_place), ("Taken at", item.created_place)]
    lines.append(" · ".join(f"**{label}:** {escape(value)}" for label, value in facts if value))
    lines.append("")
    for paragraph in (item.caption or "*(no caption)*").split("\n"):
        if paragraph.strip():
            lines += [escape(paragraph) if item.caption else paragraph, ""]
    credits = [
        ("Creator", item.creator),
        ("Credit", item.credit),
        ("Instructions", item.instructions),
    ]
    shown = [f"*{label}:* {escape(value)}" for label, value in credits if value]
    if shown:
        lines += [" · ".join(shown), ""]
    return lines


def render(sheet: CaptionSheet) -> str:
    lines = [f"# {escape(sheet.title)}", ""]
    about = [f"{len(sheet.items)} items", f"language: {escape(sheet.lang)}", f"made {sheet.made}"]
    if sheet.job_id:
        about.insert(0, f"job {escape(sheet.job_id)}")
    lines += [" · ".join(about), ""]
    lines += [f"> {escape(line)}" for line in sheet.credit_summary]
    lines.append("")
    for item in sheet.items:
        lines += _item(item)
    return "\n".join(lines).rstrip("\n") + "\n"


def write(sheet: CaptionSheet, out: Path, options: SheetOptions) -> None:
    save(out, render(sheet).encode("utf-8"))
