"""The caption sheet as JSON for scripts: every field of every photo under its IPTC name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from photodesk.export import SheetOptions, save
from photodesk.export.sheet import CaptionSheet, iptc_record


def document(sheet: CaptionSheet) -> dict[str, Any]:
    return {
        "title": sheet.title,
        "job_id": sheet.job_id,
        "language": sheet.lang,
        "made": sheet.made,
        "credit_summary": sheet.credit_summary,
        "warnings": sheet.warnings,
        "items": [
            {
                "number": item.number,
                "kind": item.kind,
                "pair_id": item.pair_id,
                "span": item.span,
                "headline": item.headline,
                "caption": item.caption,
                "date": item.date,
                "location_created": item.created_place,
                "location_shown": item.shown_place,
                "creator": item.creator,
                "credit": item.credit,
                "instructions": item.instructions,
                "photos": [
                    {
                        "id": p.photo_id,
                        "file_name": p.file_name,
                        "date": p.date,
                        **iptc_record(p.entry),
                    }
                    for p in item.pictures
                ],
            }
            for item in sheet.items
        ],
    }


def write(sheet: CaptionSheet, out: Path, options: SheetOptions) -> None:
    text = json.dumps(document(sheet), ensure_ascii=False, indent=2) + "\n"
    save(out, text.encode("utf-8"))
