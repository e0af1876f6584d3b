"""The terminal UI on a large catalog: first paint, memory, search as you type, scrolling.

    python bench/tui_bench.py                  # 100,000 photos
    python bench/tui_bench.py --n 20000 --keep /tmp/tui20k

Builds a catalog of N synthetic photos (dates 2015-2025 at several
precisions, English captions from a newsroom vocabulary, shown places on
most of them, search documents) through photodesk's own migrations, then
runs the real app headless (`make_app(archive)` + `App.run_test`) in a fresh
Python process per measurement, so each peak memory figure is that process's
alone:

- first paint: from process start (interpreter, imports, opening the
  catalog) until the browse screen's table has its rows and the screen has
  been refreshed; an empty Textual `App` is timed the same way as the floor;
- peak memory: `ru_maxrss` of that process;
- search: a word typed into the search box at a typist's pace, and the same
  word pasted, each sent as the terminal sends it; timed from the last key
  until the table has drawn the matches (any debounce wait included), with
  the wait, the query and the drawing shown apart;
- scrolling: the cursor moved down through 1,000 rows, key by key, each key
  timed until the moved cursor has been drawn; the table reads and drops
  pages as it goes, and the photo under the cursor at each step is checked
  against the catalog's own date order.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TARGET_PAINT_S = 0.5
TARGET_MEMORY_MB = 100
TARGET_SEARCH_MS = 100
TYPING_GAP_S = 0.08  # a brisk typist: about 12 characters a second
SIZE = (160, 45)
SEARCH_WORDS = ["fence", "customs", "bridge", "monument", "{rare}", "Quanhe"]
SCROLL_ROWS = 1000
PRESS_TIMEOUT_S = 5.0  # a key press the app has not handled by then counts as a freeze

WORDS = (
    "customs house trucks queue gate bridge river fence border barbed wire double single "
    "monument guard building headquarters empty containers cargo crossing Tumen Quanhe "
    "Wonjong Rason Hunchun Jilin China North Korea trade market workers train station road "
    "checkpoint soldiers flag tower warehouse port ship coal seafood clothing factory"
).split()
FILLER = "the a at of in on from with near by and seen across beside behind".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()


# -- the catalog ---------------------------------------------------------------------


def _tail(rnd: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rnd.choice("bcdfghklmnprstvz") + rnd.choice("aeiou") for _ in range(3)))
    return sorted(words)


def _date(rnd: random.Random) -> tuple[str, str, str, str]:
    """taken_start, taken_end, precision, taken_text for a random photo of 2015-2025."""
    year, month, day = rnd.randint(2015, 2025), rnd.randint(1, 12), rnd.randint(1, 28)
    roll = rnd.random()
    if roll < 0.6:  # camera time
        hh, mm, ss = rnd.randint(6, 20), rnd.randint(0, 59), rnd.randint(0, 59)
        start = f"{year}-{month:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}"
        return start, start, "second", start.replace("T", " ")
    if roll < 0.85:
        return (
            f"{year}-{month:02}-{day:02}T00:00:00",
            f"{year}-{month:02}-{day:02}T23:59:59",
            "day",
            f"{day} {MONTHS[month - 1]} {year}",
        )
    if roll < 0.95:
        return (
            f"{year}-{month:02}-21T00:00:00",
            f"{year}-{month:02}-28T23:59:59",
            "range",
            f"late {MONTHS[month - 1]} {year}",
        )
    return f"{year}-01-01T00:00:00", f"{year}-12-31T23:59:59", "year", str(year)


def build(folder: Path, n: int, seed: int = 7) -> tuple[float, str]:
    """A catalog of n photos in `folder`; returns the seconds it took and a rare caption word."""
    from photodesk.catalog import Catalog, search
    from photodesk.catalog.tx import write
    from photodesk.config import Archive

    rnd = random.Random(seed)
    tail = _tail(rnd, 5_000)
    vocab = WORDS + tail
    weights = [1 / (i + 1) ** 1.07 for i in range(len(vocab))]
    place_names = [
        f"{rnd.choice(WORDS).title()} {rnd.choice(tail).title()} {i}" for i in range(300)
    ]
    started = time.perf_counter()
    with Catalog.open(Archive.locate(folder), create=True) as cat:
        db = cat.db
        en_slot, slots = search.lang_slot(db, "en"), search.LANG_SLOTS
        with write(db):
            db.conn.executemany(
                "INSERT INTO places (id, name) VALUES (?, ?)",
                [(i + 1, name) for i, name in enumerate(place_names)],
            )
        batch = 20_000
        for first in range(1, n + 1, batch):
            photos, captions, docs = [], [], []
            for i in range(first, min(n, first + batch - 1) + 1):
                words = rnd.choices(vocab, weights, k=16)
                caption = " ".join(
                    w for pair in zip(words, rnd.choices(FILLER, k=16), strict=True) for w in pair
                )
                headline = " ".join(rnd.choices(vocab, weights, k=4)).capitalize()
                file_name = f"IMG_{i % 10_000:04}.jpg"
                start, end, precision, text = _date(rnd)
                place = rnd.randint(1, len(place_names)) if rnd.random() < 0.7 else None
                photos.append((i, f"{i:064x}", file_name, start, end, precision, text, place))
                captions.append((i, "en", headline, caption))
                docs.append(
                    (
                        i * slots + en_slot,
                        i,
                        "en",
                        search.index_text(headline),
                        search.index_text(caption),
                        search.index_text(place_names[place - 1]) if place else "",
                        search.index_text(file_name),
                        "Northline Photo Desk",
                    )
                )
            with write(db):
                db.conn.executemany(
                    "INSERT INTO photos (id, sha256, file_name, taken_start, taken_end, "
                    "taken_precision, taken_text, shown_place_id, kind, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'photo', 'new')",
                    photos,
                )
                db.conn.executemany(
                    "INSERT INTO captions (photo_id, lang, headline, description) "
                    "VALUES (?, ?, ?, ?)",
                    captions,
                )
                db.conn.executemany(
                    "INSERT INTO search_docs (id, photo_id, lang, headline, description, "
                    "places, file_name, credit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    docs,
                )
        search.optimize(db)  # both indexes settled, as after photodesk's own bulk loads
        db.conn.commit()
    return time.perf_counter() - started, tail[-1]


# -- the measured processes ----------------------------------------------------------


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(mode: str, folder: str, extra: str) -> dict[str, Any]:
    """One measurement in this (fresh) process; returns what it found."""
    import asyncio

    t_imports = time.time()
    out: dict[str, Any] = {}
    if mode == "empty":
        from textual.app import App

        async def empty() -> None:
            app: App[None] = App()
            async with app.run_test(headless=True, size=SIZE) as pilot:
                await pilot.pause()
                out["painted_at"] = time.time()

        out["imported_at"] = t_imports
        asyncio.run(empty())
        out["maxrss_mb"] = _maxrss_mb()
        return out

    from photodesk.config import Archive
    from photodesk.tui import make_app
    from photodesk.tui.screens import browse as browse_screen
    from photodesk.tui.screens.browse import BrowseScreen
    from photodesk.tui.widgets.photo_table import PhotoTable

    out["imported_at"] = time.time()

    async def wait_for(check: Any, timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        while not check():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{mode}: gave up waiting")
            await asyncio.sleep(0.0005)

    async def run() -> None:
        out["make_app_at"] = time.time()
        app = make_app(Archive.locate(Path(folder)))
        async with app.run_test(headless=True, size=SIZE) as pilot:

            def table_rows() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, BrowseScreen) and screen.query_one(PhotoTable).row_count > 0
                )

            await wait_for(table_rows)
            await pilot.pause()  # the refresh that draws them
            out["painted_at"] = time.time()
            out["maxrss_paint_mb"] = _maxrss_mb()
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.table
            if mode == "search":
                out["search"] = await searches(pilot, screen, table)
            elif mode == "scroll":
                out["scroll"] = await scroll(pilot, table)

    async def searches(pilot: Any, screen: Any, table: Any) -> list[dict[str, Any]]:
        """Each word typed and then pasted, as the terminal delivers them.

        Keys go in through the app's driver, the way a terminal's input reaches
        the app, without the test pilot's wait for idleness after every press
        (which would count the pilot's polling, not the app). A search counts as
        shown when the table has drawn its rows (PhotoTable._filled runs after
        the refresh that draws them).
        """
        from textual import events
        from textual.widgets import Input

        marks: dict[str, float] = {}
        real_run_search, real_show = screen.run_search, screen._show_matches
        real_filled = table._filled

        def run_search(text: str) -> None:  # the debounce timer calls this
            marks["fired"] = time.perf_counter()
            real_run_search(text)

        def show_matches(text: str, rows: list[dict[str, Any]]) -> None:
            if text == marks.get("word"):
                marks["answered"] = time.perf_counter()
            real_show(text, rows)

        def filled() -> None:
            real_filled()
            if table.fixed and screen.query_text == marks.get("word") and "answered" in marks:
                marks.setdefault("drawn", time.perf_counter())

        screen.run_search, screen._show_matches, table._filled = run_search, show_matches, filled
        box = screen.query_one("#search", Input)
        box.focus()
        driver = screen.app._driver

        async def cleared() -> None:
            box.value = ""  # back to the whole catalog
            await wait_for(lambda: not table.fixed and screen.query_text == "")
            await pilot.pause()
            marks.clear()

        async def drawn(word: str, sent: float) -> dict[str, float]:
            await wait_for(lambda: "drawn" in marks)
            return {
                "ms": (marks["drawn"] - sent) * 1000,
                "debounce_ms": (marks["fired"] - sent) * 1000,
                "query_ms": (marks["answered"] - marks["fired"]) * 1000,
                "draw_ms": (marks["drawn"] - marks["answered"]) * 1000,
            }

        results = []
        for word in [w.replace("{rare}", extra) for w in SEARCH_WORDS] * 3:
            await cleared()
            marks["word"] = word
            for i, ch in enumerate(word):
                driver.send_message(events.Key(ch, ch))
                sent = time.perf_counter()
                if i < len(word) - 1:
                    await asyncio.sleep(TYPING_GAP_S)
            typed = await drawn(word, sent)
            await cleared()
            marks["word"] = word
            driver.send_message(events.Paste(word))
            pasted = await drawn(word, time.perf_counter())
            results.append(
                {
                    "word": word,
                    "rows": len(table.rows_shown),
                    **{f"typed_{k}": v for k, v in typed.items()},
                    **{f"pasted_{k}": v for k, v in pasted.items()},
                }
            )
        return results

    async def scroll(pilot: Any, table: Any) -> dict[str, Any]:
        from photodesk.catalog import browse

        shifts = 0
        real_shift = table._shift

        def counted(forward: bool) -> None:
            nonlocal shifts
            shifts += 1
            real_shift(forward)

        table._shift = counted
        table.focus()
        await pilot.pause()
        first = table.current["id"]
        started = time.perf_counter()
        progress = {"presses": 0, "at": time.perf_counter()}

        def watchdog() -> None:
            # A frozen app starves the event loop (its message queue never empties), so
            # only another thread can notice: report where it stuck and end the process.
            while True:
                time.sleep(0.2)
                if time.perf_counter() - progress["at"] > PRESS_TIMEOUT_S:
                    out["scroll"] = {
                        "frozen_at": progress["presses"] + 1,
                        "shifts": shifts,
                        "seconds": time.perf_counter() - started,
                        "maxrss_mb": _maxrss_mb(),
                    }
                    out["maxrss_mb"] = _maxrss_mb()
                    print(json.dumps(out), flush=True)
                    os._exit(0)

        threading.Thread(target=watchdog, daemon=True).start()
        from textual import events

        # The photos the cursor should pass, in the catalog's own date order.
        order = [
            r["id"]
            for r in browse.page(
                app_catalog(table).db, table.filter, table.lang, None, SCROLL_ROWS + 1
            )
        ]
        driver = table.app._driver
        loop = asyncio.get_running_loop()
        latencies: list[float] = []
        for i in range(SCROLL_ROWS):
            sent = time.perf_counter()
            driver.send_message(events.Key("down", None))  # as the terminal sends it
            await wait_for(lambda: table.current and table.current["id"] == order[i + 1])  # noqa: B023
            drawn = loop.create_future()
            table.call_after_refresh(lambda f=drawn: f.done() or f.set_result(None))
            await drawn
            latencies.append((time.perf_counter() - sent) * 1000)
            progress["presses"], progress["at"] = i + 1, time.perf_counter()
        seconds = time.perf_counter() - started
        latencies.sort()
        return {
            "seconds": seconds,
            "p50_ms": statistics.median(latencies),
            "p95_ms": latencies[int(len(latencies) * 0.95)],
            "max_ms": latencies[-1],
            "shifts": shifts,
            "window_rows": len(table.rows_shown),
            "first_id": first,
            "at_id": table.current["id"] if table.current else None,
            "expected_id": order[-1] if len(order) > SCROLL_ROWS else None,
        }

    def app_catalog(table: Any) -> Any:
        return table._reader()

    out["search_delay"] = browse_screen.SEARCH_DELAY
    asyncio.run(run())
    out["maxrss_mb"] = _maxrss_mb()
    return out


def measure(mode: str, folder: Path, extra: str = "") -> dict[str, Any]:
    if folder.exists():
        (folder / "ui-state.json").unlink(missing_ok=True)  # each run starts afresh
    spawned = time.time()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder), extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["spawned_at"] = spawned
    return result


# -- the report ----------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(n: int, folder: Path, rare: str, only: str | None = None) -> None:
    if only in (None, "paint"):
        first_paint(folder)
    if only in (None, "search"):
        search_as_you_type(folder, rare)
    if only in (None, "scroll"):
        scrolling(folder)


def first_paint(folder: Path) -> None:
    empty = [measure("empty", folder) for _ in range(3)]
    paint = [measure("paint", folder) for _ in range(3)]

    def best(runs: list[dict[str, Any]], key: str = "painted_at") -> dict[str, Any]:
        return min(runs, key=lambda r: r[key] - r["spawned_at"])

    e, p = best(empty), best(paint)
    e_s, p_s = e["painted_at"] - e["spawned_at"], p["painted_at"] - p["spawned_at"]
    print(f"\nFirst paint (best of 3 fresh processes, {SIZE[0]}x{SIZE[1]} headless):")
    print(
        f"  empty Textual App:   {e_s:.3f} s from process start, "
        f"peak memory {max(r['maxrss_mb'] for r in empty):.0f} MB"
    )
    print(
        f"  photodesk browse:    {p_s:.3f} s from process start "
        f"(imports {p['imported_at'] - p['spawned_at']:.3f} s, "
        f"make_app to rows painted {p['painted_at'] - p['make_app_at']:.3f} s)"
        f"   target < {TARGET_PAINT_S} s: {verdict(p_s < TARGET_PAINT_S)}"
    )
    print(f"  photodesk over the empty app: +{p_s - e_s:.3f} s")
    mem = max(r["maxrss_mb"] for r in paint)
    print(
        f"\nPeak memory of the browse process (ru_maxrss): {mem:.0f} MB "
        f"(at first paint {p['maxrss_paint_mb']:.0f} MB)"
        f"   target < {TARGET_MEMORY_MB} MB: {verdict(mem < TARGET_MEMORY_MB)}"
    )


def search_as_you_type(folder: Path, rare: str) -> None:
    s = measure("search", folder, rare)
    delay_ms = s["search_delay"] * 1000
    runs = s["search"]
    print(
        f"\nSearch as you type: each word typed at one key every {TYPING_GAP_S * 1000:.0f} ms, "
        f"then pasted, three times;\nfrom the last key to the table drawn with the matches "
        f"(a change after {delay_ms:.0f} ms of quiet searches at once, closer ones wait for "
        "quiet):"
    )
    print(f"  {'word':<10}{'rows':>6}{'typed ms':>11}{'pasted ms':>11}")
    by_word: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        by_word.setdefault(r["word"], []).append(r)
    for word, rs in by_word.items():
        print(
            f"  {word:<10}{rs[0]['rows']:>6}"
            f"{statistics.median(r['typed_ms'] for r in rs):>11.1f}"
            f"{statistics.median(r['pasted_ms'] for r in rs):>11.1f}"
        )
    for how in ("typed", "pasted"):
        ms = [r[f"{how}_ms"] for r in runs]
        parts = ", ".join(
            f"{label} {statistics.median(r[f'{how}_{key}_ms'] for r in runs):.1f}"
            for key, label in (("debounce", "wait"), ("query", "query"), ("draw", "fill+draw"))
        )
        print(
            f"  {how}: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms "
            f"(medians: {parts} ms)"
            f"   target < {TARGET_SEARCH_MS} ms: {verdict(max(ms) < TARGET_SEARCH_MS)}"
        )
    print(f"  peak memory of the search process: {s['maxrss_mb']:.0f} MB")


def scrolling(folder: Path) -> None:
    c = measure("scroll", folder)["scroll"]
    print(
        f"\nScrolling {SCROLL_ROWS:,} rows down, one key at a time as the terminal sends it, "
        "each timed until the moved cursor is drawn:"
    )
    if "frozen_at" in c:
        print(
            f"  FROZE: key press {c['frozen_at']} "
            f"not handled within {PRESS_TIMEOUT_S:.0f} s; the table had read a page "
            f"{c['shifts']} times by then (memory {c['maxrss_mb']:.0f} MB)"
        )
        return
    right = c["at_id"] == c["expected_id"]
    print(
        f"  a key: median {c['p50_ms']:.1f} ms, 95th percentile {c['p95_ms']:.1f} ms, "
        f"max {c['max_ms']:.1f} ms (the page reads included)\n"
        f"  {c['seconds']:.2f} s in all, "
        f"{c['shifts']} page reads, {c['window_rows']} rows held; "
        f"photo under the cursor: {c['at_id']} (date order says {c['expected_id']}: "
        f"{'right' if right else 'WRONG'})"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, folder, extra = sys.argv[2], sys.argv[3], sys.argv[4]
        if mode == "build":
            seconds, rare = build(Path(folder), int(extra))
            print(json.dumps({"seconds": seconds, "rare": rare}))
        else:
            print(json.dumps(child(mode, folder, extra)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="photos in the catalog")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the catalog in this folder")
    parser.add_argument(
        "--only", choices=("paint", "search", "scroll"), help="run one of the measurements"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix=f"photodesk-tui-{args.n}-"))
    from photodesk.config import Archive

    try:
        if not Archive.locate(folder).db_path.exists():
            # In a process of its own: a child's ru_maxrss starts from its parent's size at
            # fork, so the parent that spawns the measured runs must stay small.
            built = measure("build", folder, str(args.n))
            seconds, rare = built["seconds"], built["rare"]
            size = Archive.locate(folder).db_path.stat().st_size / 1e6
            print(f"{args.n:,} photos: catalog built in {seconds:.1f} s, {size:.0f} MB")
        else:
            rare = _tail(random.Random(7), 5_000)[-1]
            print(f"{args.n:,} photos (reused {Archive.locate(folder).db_path})")
        report(args.n, folder, rare, args.only)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
