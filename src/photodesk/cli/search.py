"""Finding photos by the words in their captions, places, keywords, file names and credit."""

from __future__ import annotations

import click

from photodesk.catalog import photos as photo_rows
from photodesk.catalog import search, stories
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import date_bound
from photodesk.cli.output import rows_or_json
from photodesk.fields import KINDS
from photodesk.language import normalize_lang


@click.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--lang", help="Only match captions in this language.")
@click.option("--story", "story_name", help="Only photos in this story.")
@click.option("--since", help="Photos whose date range reaches this date or later.")
@click.option("--until", help="Photos whose date range starts on or before this date.")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--uncaptioned", is_flag=True, help="Only photos without a caption.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search_cmd(
    ctx: click.Context,
    words: tuple[str, ...],
    lang: str | None,
    story_name: str | None,
    since: str | None,
    until: str | None,
    kind: str | None,
    uncaptioned: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Find photos by words in captions, headlines, keywords, places, file names, credit.

    Words are all required; end one with * for a prefix (cust*). Korean,
    Japanese and Chinese are found inside longer text. Quotes are not needed:
    photodesk search trucks customs.
    """
    query = " ".join(words)
    with open_catalog(ctx) as catalog:
        shown_lang = normalize_lang(lang) if lang else catalog.default_language
        flt = search.SearchFilter(
            lang=normalize_lang(lang) if lang else None,
            story_id=stories.require(catalog.db, story_name) if story_name else None,
            since=date_bound(since, end=False),
            until=date_bound(until, end=True, since=since),
            kind=kind,
            uncaptioned_lang=shown_lang if uncaptioned else None,
            limit=limit,
        )
        if search.build_query(query) is None:
            raise click.UsageError(f"nothing to search for in {query!r}: give a word")
        ids = search.search_ids(catalog.db, query, flt)
        rows = photo_rows.summaries(catalog.db, ids, shown_lang)
    rows_or_json(rows, as_json)
