"""Which photos an export is for: a story, a list of ids or a search, resolved in one place."""

from __future__ import annotations

from dataclasses import dataclass

from photodesk.catalog import Catalog, photos, search, stories
from photodesk.errors import PhotodeskError


class ExportError(PhotodeskError):
    """An export that cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class Selection:
    photo_ids: list[int]
    title: str  # what the sheet is of: the story's name, or how the photos were chosen
    story: str | None = None
    job_id: str | None = None


def select(
    catalog: Catalog,
    story: str | None = None,
    ids: list[int] | None = None,
    query: str | None = None,
) -> Selection:
    """Exactly one of a story (in its order), ids (as given) or a search (in date order)."""
    given = [what for what in (story, ids, query) if what]
    if len(given) != 1:
        raise ExportError("name exactly one of a story, a list of photo ids or a search")
    db = catalog.db
    if story:
        story_id = stories.require(db, story)
        found = stories.get(db, story_id)
        chosen = stories.photo_order(db, story_id)
        if not chosen:
            raise ExportError(f"story {found['name']!r} has no photos")
        return Selection(chosen, found["name"], found["name"], found.get("job_id"))
    if ids:
        missing = [i for i in ids if not photos.exists(db, i)]
        if missing:
            named = ", ".join(map(str, missing[:5]))
            more = f" and {len(missing) - 5:,} more" if len(missing) > 5 else ""
            raise ExportError(f"no photo with id {named}{more}")
        return Selection(list(dict.fromkeys(ids)), f"{len(ids)} photos")
    assert query is not None
    matched = search.all_ids(db, query)
    if not matched:
        raise ExportError(f"no photos match {query!r}")
    dated = {row["id"]: row for row in photos.summaries(db, matched, "en")}
    ordered = sorted(matched, key=lambda i: (dated[i].get("taken_start") or "9999", i))
    return Selection(ordered, f"photos matching {query!r}")
