"""Language tags for captions (BCP 47: en, ko, ja, zh-Hant…), and how many a photo holds."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from photodesk.errors import UsageMistake

_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
# RFC 5646 §4.4.1: 35 characters hold every tag the registry can form; a longer
# one is junk, and would only make messages and search documents long.
MAX_TAG_LENGTH = 35
# Caption languages one photo may hold. A desk writes two or three; the 24 official
# EU languages fit with room to spare. Files that name more (a hostile or broken
# XMP packet, a notes file) keep the first ones and report the rest, so no file can
# flood the photo, its search documents or the archive's list of languages.
MAX_PER_PHOTO = 32


# Country codes typed for languages, common on a desk working in these three.
_COUNTRY_NOT_LANGUAGE = {"jp": "ja", "kr": "ko", "cn": "zh"}


class LanguageError(UsageMistake):
    pass


def shown(tag: str) -> str:
    """A tag as a message quotes it: controls escaped (repr) and never longer than a tag can be."""
    if len(tag) > MAX_TAG_LENGTH + 5:
        return repr(tag[:MAX_TAG_LENGTH]) + "…"
    return repr(tag)


def normalize_lang(tag: str) -> str:
    """A BCP 47 tag as the archive keeps it: `ko`, `en-GB`, `zh-Hant`.

    Checked against the IANA language subtag registry (langcodes ships it), in
    its usual case, deprecated subtags replaced (iw → he), and a region or
    script that says nothing the language does not already imply dropped
    (ko-KR → ko, ja-Jpan → ja), so one language never becomes two caption
    sets. `explain_lang` says what changed, for the shells to tell the user.
    """
    return _normalized(tag)[0]


def explain_lang(tag: str) -> str | None:
    """Why a valid tag is kept under another name ("ko-KR is taken as ko: …"); None if as typed."""
    return _normalized(tag)[1]


def _normalized(tag: str) -> tuple[str, str | None]:
    import langcodes  # its tables load in ~25 ms: only commands that read a tag pay for them

    typed = tag.strip()
    tag = typed.replace("_", "-")
    if len(tag) > MAX_TAG_LENGTH or not _TAG.fullmatch(tag):
        raise LanguageError(
            f"{shown(typed)} is not a language tag (use BCP 47, such as en, ko, ja, zh-Hant)"
        )
    first = tag.split("-")[0].lower()
    if first in _COUNTRY_NOT_LANGUAGE:
        right = _COUNTRY_NOT_LANGUAGE[first]
        raise LanguageError(f"{shown(typed)} is a country code; the language tag is {right!r}")
    if not langcodes.tag_is_valid(tag):
        raise LanguageError(
            f"{shown(typed)} is not in the registry of language tags "
            "(use BCP 47, such as en, ko, ja, zh-Hant)"
        )
    standard = langcodes.Language.get(langcodes.standardize_tag(tag))
    region = standard.territory
    if region and not (standard.variants or standard.extensions or standard.private):
        # The region a language is written in by default adds nothing: en-US is en.
        bare = standard.update_dict({"territory": None})
        if bare.maximize().territory == region:
            standard = bare
    result = standard.to_tag()
    if result.lower() == tag.lower():
        return result, None
    if region and standard.territory is None:
        why = f"{region} is where {result} is written unless a region is named"
    else:
        why = "the registry's preferred form"
    return result, f"{typed} is taken as {result} ({why})"


@dataclass
class Screening:
    """The caption languages a file names, sorted into those a photo takes and those it does not."""

    kept: dict[str, str] = field(default_factory=dict)  # as the file spells it → normalized
    invalid: list[str] = field(default_factory=list)  # not language tags, as the file spells them
    over: list[str] = field(default_factory=list)  # tags past MAX_PER_PHOTO, normalized


def screen(tags: Iterable[str], have: Collection[str] = (), first: str | None = None) -> Screening:
    """Which of a file's caption languages a photo takes, judged as a user's --lang is.

    `have` are the languages the photo holds already; they always fit. New
    ones are taken in the file's order (`first`, the archive's language, before
    the others) until the photo holds MAX_PER_PHOTO.
    """
    out = Screening()
    held = set(have)
    judged = []
    for raw in dict.fromkeys(tags):
        try:
            judged.append((raw, normalize_lang(raw)))
        except LanguageError:
            out.invalid.append(raw)
    judged.sort(key=lambda pair: pair[1] != first)  # stable: the rest keep the file's order
    for raw, tag in judged:
        if tag not in held and len(held) >= MAX_PER_PHOTO:
            if tag not in out.over:
                out.over.append(tag)
            continue
        held.add(tag)
        out.kept[raw] = tag
    return out


def few(items: list[str], count: int = 3) -> str:
    """The first few of a list and how many more, so a message stays one short line."""
    head = ", ".join(items[:count])
    rest = len(items) - count
    return f"{head} and {rest:,} more" if rest > 0 else head
