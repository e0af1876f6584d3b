"""The composed pair caption: "(Left) <before caption> (Right) <after caption>".

Built from the two photos' own captions in one language; each side carries
its date as that language writes it, unless the caption already says it in
those words. An edited pair caption replaces the composed one when it is
exported.
"""

from __future__ import annotations

from dataclasses import dataclass

# Which side is which, as a caption in each language says it; others use English.
_SIDES = {
    "en": ("(Left)", "(Right)"),
    "ko": ("(왼쪽)", "(오른쪽)"),
    "ja": ("（左）", "（右）"),
    "zh": ("（左）", "（右）"),
}
# Brackets around the date: full-width in Japanese and Chinese text.
_DATE_BRACKETS = {"ja": ("（", "）"), "zh": ("（", "）")}


@dataclass
class Side:
    caption: str | None  # the photo's caption in the language asked for
    date: str | None  # the date as that language writes it ("September 2019", "2019년 9월")


def _with_date(side: Side, lang: str) -> str:
    text = (side.caption or "").strip()
    # Only the very phrase counts: "the 2019 agreement" does not date a photo.
    if not side.date or side.date.casefold() in text.casefold():
        return text
    left, right = _DATE_BRACKETS.get(lang.split("-")[0], (" (", ")"))
    return f"{text}{left}{side.date}{right}"


def compose(before: Side, after: Side, lang: str) -> str | None:
    """The composed caption, or None when either photo has no caption in `lang`."""
    if not (before.caption or "").strip() or not (after.caption or "").strip():
        return None
    left, right = _SIDES.get(lang.split("-")[0], _SIDES["en"])
    return f"{left} {_with_date(before, lang)} {right} {_with_date(after, lang)}"
