"""Language tags for captions (BCP 47: en, ko, ja, zh-Hant…)."""

from __future__ import annotations

import re

from photodesk.errors import PhotodeskError

_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


# Country codes typed for languages, common on a desk working in these three.
_COUNTRY_NOT_LANGUAGE = {"jp": "ja", "kr": "ko", "cn": "zh"}


class LanguageError(PhotodeskError):
    pass


def normalize_lang(tag: str) -> str:
    """A BCP 47 tag in its usual case: `ko`, `en-US`, `zh-Hant`."""
    tag = tag.strip().replace("_", "-")
    if not _TAG.fullmatch(tag):
        raise LanguageError(
            f"{tag!r} is not a language tag (use BCP 47, such as en, ko, ja, zh-Hant)"
        )
    first, *rest = tag.split("-")
    if first.lower() in _COUNTRY_NOT_LANGUAGE:
        right = _COUNTRY_NOT_LANGUAGE[first.lower()]
        raise LanguageError(f"{tag!r} is a country code; the language tag is {right!r}")
    fixed = [first.lower()]
    for part in rest:
        fixed.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(fixed)
