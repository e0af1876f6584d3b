"""Finding photos by the words in their captions, places, keywords, file names and credit."""

from __future__ import annotations

from typing import Any

import click

from photodesk.catalog import photos as photo_rows
from photodesk.catalog import search
from photodesk.cli.archive import Mistake, open_catalog
from photodesk.cli.options import LANGUAGE, filter_options, filtering, make_filter, resolve_filter
from photodesk.cli.output import rows_or_json, told_capped


@click.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1)
@click.option("--lang", type=LANGUAGE, help="Only match captions in this language.")
@filter_options(limit=50)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search_cmd(
    ctx: click.Context,
    words: tuple[str, ...],
    lang: str | None,
    as_json: bool,
    **filters: Any,
) -> None:
    """Find photos by words in captions, headlines, keywords, places, file names, credit.

    Words are all required; English words match their other forms (fence
    finds fences); end one with * for a prefix (cust*), or put it in double
    quotes for that form only. Korean, Japanese and Chinese are found inside
    longer text. Each result shows the text that matched, with its language.
    With filters and no words, every photo the filters let through.
    """
    query = " ".join(words)
    flt = make_filter(filters, search.SearchFilter)
    flt.lang = lang
    with open_catalog(ctx) as catalog:
        shown_lang = lang or catalog.default_language
        resolve_filter(catalog, flt, filters, shown_lang)
        if not query.strip():
            if not filtering(filters):
                raise Mistake(
                    "nothing to search for: give a word, or a filter such as --story NAME"
                )
            rows = photo_rows.listing(catalog.db, shown_lang, flt)
            total = _total(len(rows), flt, lambda: photo_rows.count(catalog.db, flt))
        else:
            if search.build_query(query) is None:
                raise Mistake(f"nothing to search for in {query!r}: give a word")
            found = search.matches(catalog.db, query, flt)
            rows = photo_rows.summaries(catalog.db, [m.photo_id for m in found], shown_lang)
            where = {m.photo_id: m for m in found}
            for row in rows:
                m = where[row["id"]]
                row["match"] = {"lang": m.lang, "field": m.field, "text": m.text}
            total = _total(len(rows), flt, lambda: search.count(catalog.db, query, flt))
    rows_or_json(rows, as_json)
    told_capped(len(rows), flt.offset, total)


def _total(shown: int, flt: search.SearchFilter, count: Any) -> int:
    """How many match in all; counted only when the page is full (or not the first)."""
    if flt.limit is not None and (shown >= flt.limit or flt.offset):
        return int(count())
    return shown + flt.offset
