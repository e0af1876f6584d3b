"""Search latency on large synthetic catalogs.

    python bench/search_bench.py                 # 100,000 and 1,000,000 photos
    python bench/search_bench.py --sizes 100000 --keep /tmp/cat100k

Builds a catalog of N photos with captions in English and Korean drawn from
a newsroom vocabulary with a long tail (Zipf-distributed, as real caption
words are), through photodesk's own migrations and indexing code, then times
typical searches through `search_ids` (ranked, 50 results, as the terminal
UI asks) and prints p50/p95 per query and over all of them, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from photodesk.catalog import Catalog, search
from photodesk.catalog.tx import write
from photodesk.config import Archive

EN_HEAD = (
    "customs house trucks queue gate bridge river fence border barbed wire double single "
    "monument guard building headquarters empty containers cargo crossing Tumen Quanhe "
    "Wonjong Rason Hunchun Jilin China North Korea trade market workers train station road "
    "checkpoint soldiers flag tower warehouse port ship coal seafood clothing factory"
).split()
KO_HEAD = (
    "세관 화물차 다리 두만강 국경 철조망 기념비 경비 건물 본부 컨테이너 통관 라선 원정 취안허 "
    "훈춘 무역 시장 노동자 기차 도로 검문소 군인 깃발 창고 항구 석탄 수산물 공장"
).split()
FILLER_EN = "the a at of in on from with near by and seen across beside behind".split()
PARTICLES = ["", "", "에서", "을", "를", "이", "가", "의", "으로"]
SYLLABLES = [chr(c) for c in range(0xAC00, 0xD7A4, 37)]
CONSONANTS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"

QUERIES = [
    "customs",
    "trucks customs",
    "cust*",
    "bri*",
    "Quanhe bridge",
    "double fence",
    "wonj*",
    "세관",
    "화물차",
    "두만강 다리",
    "통관*",
    "{rare}",
    "{rare_prefix}*",
    "IMG_0421",
]


def _tail_words(rnd: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        k = rnd.randint(2, 4)
        words.add("".join(rnd.choice(CONSONANTS) + rnd.choice(VOWELS) for _ in range(k)))
    return sorted(words)


def _ko_tail(rnd: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))))
    return sorted(words)


def _zipf_picker(rnd: random.Random, vocab: list[str]):
    weights = [1 / (i + 1) ** 1.07 for i in range(len(vocab))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def pick(k: int) -> list[str]:
        return rnd.choices(vocab, cum_weights=cumulative, k=k)

    return pick


def build(archive: Archive, n: int, seed: int = 7) -> tuple[float, list[str]]:
    rnd = random.Random(seed)
    # The desk's own words (customs, bridge, 세관…) are the most frequent ones,
    # in a shuffled order; a long tail of other words follows.
    en_head, ko_head = EN_HEAD[:], KO_HEAD[:]
    rnd.shuffle(en_head)
    rnd.shuffle(ko_head)
    en_vocab = en_head + _tail_words(rnd, 20_000)
    ko_vocab = ko_head + _ko_tail(rnd, 20_000)
    pick_en, pick_ko = _zipf_picker(rnd, en_vocab), _zipf_picker(rnd, ko_vocab)
    started = time.perf_counter()
    with Catalog.open(archive) as cat:
        db = cat.db
        en_slot, ko_slot = search.lang_slot(db, "en"), search.lang_slot(db, "ko")
        slots = search.LANG_SLOTS
        batch = 20_000
        for first in range(1, n + 1, batch):
            ids = range(first, min(n, first + batch - 1) + 1)
            photos, captions, docs = [], [], []
            for i in ids:
                en = " ".join(
                    w
                    for pair in zip(pick_en(14), rnd.choices(FILLER_EN, k=14), strict=True)
                    for w in pair
                )
                ko = " ".join(w + rnd.choice(PARTICLES) for w in pick_ko(12))
                head = " ".join(pick_en(4)).capitalize()
                file_name = f"IMG_{i % 10_000:04}.jpg"  # cameras reuse names across cards
                day = rnd.randint(1, 28)
                photos.append(
                    (
                        i,
                        f"{i:064x}",
                        file_name,
                        f"2023-07-{day:02}T12:00:00",
                        f"2023-07-{day:02}T12:00:00",
                    )
                )
                captions.append((i, "en", head, en))
                captions.append((i, "ko", None, ko))
                shared = (search.index_text(file_name), "Northline Photo Desk")
                docs.append(
                    (
                        i * slots + en_slot,
                        i,
                        "en",
                        search.index_text(head),
                        search.index_text(en),
                        *shared,
                    )
                )
                docs.append((i * slots + ko_slot, i, "ko", None, search.index_text(ko), *shared))
            with write(db):
                db.conn.executemany(
                    "INSERT INTO photos (id, sha256, file_name, taken_start, taken_end, kind, "
                    "status) VALUES (?, ?, ?, ?, ?, 'photo', 'new')",
                    photos,
                )
                db.conn.executemany(
                    "INSERT INTO captions (photo_id, lang, headline, description) "
                    "VALUES (?, ?, ?, ?)",
                    captions,
                )
                # The same rows reindex() writes; one statement per batch instead of per photo.
                db.conn.executemany(
                    "INSERT INTO search_docs (id, photo_id, lang, headline, description, "
                    "file_name, credit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    docs,
                )
        search.optimize(db)  # both indexes settled, as after photodesk's own bulk loads
        db.conn.commit()
    tail = [w for w in en_vocab if w not in EN_HEAD]
    return time.perf_counter() - started, tail


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(archive: Archive, tail: list[str], repeats: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    rare = tail[-50:]  # the least frequent words of the vocabulary
    all_ms: list[float] = []
    with Catalog.open(archive) as cat:
        print(f"{'query':<18}{'results':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for template in QUERIES:
            times = []
            hits = 0
            for _ in range(repeats):
                word = rnd.choice(rare)
                query = template.replace("{rare}", word).replace("{rare_prefix}", word[:4])
                t = time.perf_counter()
                hits = len(search.search_ids(cat.db, query))
                times.append((time.perf_counter() - t) * 1000)
            all_ms.extend(times)
            print(
                f"{template:<18}{hits:>8}{percentile(times, 50):>9.2f}{percentile(times, 95):>9.2f}"
            )
    print(
        f"{'all queries':<18}{'':>8}{percentile(all_ms, 50):>9.2f}{percentile(all_ms, 95):>9.2f}"
        f"   (mean {statistics.fmean(all_ms):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=100, help="timed runs per query")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the catalog in this folder")
    args = parser.parse_args()
    for n in args.sizes:
        folder = args.keep or Path(tempfile.mkdtemp(prefix=f"photodesk-search-{n}-"))
        archive = Archive.locate(folder)
        try:
            if not archive.db_path.exists():
                seconds, tail = build(archive, n)
                print(
                    f"\n{n:,} photos, 2 caption languages: built in {seconds:.0f} s, "
                    f"{archive.db_path.stat().st_size / 1e6:.0f} MB"
                )
            else:
                _, tail = None, _tail_words(random.Random(7), 20_000)
                print(f"\n{n:,} photos (reused {archive.db_path})")
            measure(archive, tail, args.repeats)
        finally:
            if args.keep is None:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
