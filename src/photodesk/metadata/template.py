"""A stationery template: field values that fill what a batch of photos leaves empty.

Photo Mechanic keeps its stationery pad as an XMP file; photodesk reads that,
or a JSON object naming fields by photodesk's names or their IPTC names
("Credit Line", "Description"…). Only fields of the field table are taken.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from photodesk.errors import PhotodeskError
from photodesk.fields import EDITABLE, FIELDS
from photodesk.metadata.xmp import parse_xmp
from photodesk.text import display_path

_NAMES = {f.name.casefold(): f.name for f in FIELDS if f.name in EDITABLE}
_NAMES |= {f.iptc_name.casefold(): f.name for f in FIELDS if f.iptc_name and f.name in EDITABLE}
MAX_BYTES = 1_000_000  # a template is a few lines; a huge file is a mistake


class TemplateError(PhotodeskError):
    """A template file that cannot be read as one."""


def _text(value: Any) -> Any:
    if isinstance(value, dict):  # a lang-alt: the default text, else the first
        return value.get("x-default") or next(iter(value.values()), None)
    return value


def load_template(path: Path) -> dict[str, Any]:
    """Field name → value from an XMP or JSON template."""
    shown = display_path(str(path))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TemplateError(f"template {shown} is larger than {MAX_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot read template {shown}: {exc.strerror or exc}") from exc
    if path.suffix.casefold() == ".json" or data.lstrip()[:1] == b"{":
        try:
            found = json.loads(data.decode("utf-8-sig"))
        except (ValueError, RecursionError) as exc:
            raise TemplateError(f"template {shown} is not valid JSON: {exc}") from exc
        if not isinstance(found, dict):
            raise TemplateError(f"template {shown} must be a JSON object of field: value")
    else:
        found = parse_xmp(data)
        if not found:
            raise TemplateError(f"template {shown} holds no caption field (XMP or JSON)")
    out: dict[str, Any] = {}
    for key, value in found.items():
        name = _NAMES.get(str(key).casefold())
        if name is None:
            known = ", ".join(sorted(_NAMES.values()))
            raise TemplateError(f"template {shown}: {key!r} is not a field ({known})")
        value = _text(value)
        if name == "keywords":
            value = value if isinstance(value, list) else [s.strip() for s in str(value).split(",")]
        elif not isinstance(value, str):
            raise TemplateError(f"template {shown}: {key!r} must be text")
        out[name] = value
    return out
