"""Caption sheets: golden files of the demo story, hostile text, the credit summary, the formats.

Golden files live in tests/golden/; after an intended change of a format,
rewrite them with PHOTODESK_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from photodesk import pairs
from photodesk.catalog import Catalog, photos, stories
from photodesk.dates import parse_date
from photodesk.export import FORMATS, SheetOptions, sheet, write_sheet
from photodesk.export.csv import defuse
from photodesk.export.md import escape
from photodesk.export.selection import ExportError, select
from tui_fixtures import STORY, demo_archive, ids_by_name

GOLDEN = Path(__file__).parent / "golden"
MADE = "2026-01-01"
HOSTILE = {
    "headline": "<script>alert(1)</script>",
    "description": '=HYPERLINK("http://evil.example","click") \x1b[31mred\x07 '
    "[x](javascript:alert(1))",
}


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    archive = demo_archive(tmp_path_factory.mktemp("sheets") / "demo")
    ids = ids_by_name(archive)
    with Catalog.open(archive) as catalog:
        pairs.create(catalog, ids["fence_2019_single.jpg"], ids["quanhe_07_double_fence.jpg"])
    return archive


@pytest.fixture
def archive(demo):
    """The `run` fixture's archive: the demo story, with its pair."""
    return demo


def _sheet(archive, lang=None, **chosen):
    with Catalog.open(archive) as catalog:
        made = sheet.build(catalog, select(catalog, **(chosen or {"story": STORY})), lang)
    return dataclasses.replace(made, made=MADE)


def _golden(name: str, produced: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("PHOTODESK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(produced)
    assert path.is_file(), f"no golden file {path}: run with PHOTODESK_UPDATE_GOLDEN=1"
    assert produced.decode("utf-8") == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "md", "json", "html"])
def test_the_demo_story_matches_its_golden_file(demo, tmp_path, fmt):
    out = tmp_path / f"sheet.{fmt}"
    # The HTML golden file names thumbnails in a folder: inlined ones would pin the
    # JPEG encoder's bytes.
    write_sheet(_sheet(demo), fmt, out, SheetOptions(thumbs_folder=fmt == "html"))
    _golden(f"demo-story.{fmt}", out.read_bytes())


def test_the_pair_is_one_item_with_both_photos_and_its_caption(demo):
    made = _sheet(demo)
    ids = ids_by_name(demo)
    [pair] = [item for item in made.items if item.kind == "pair"]
    assert [p.photo_id for p in pair.pictures] == [
        ids["fence_2019_single.jpg"],
        ids["quanhe_07_double_fence.jpg"],
    ]
    assert pair.caption.startswith("(Left) A single barbed-wire fence")
    assert "(Right) A second, taller fence" in pair.caption
    assert pair.span == "about 3 years 10 months"
    assert len(made.items) == 9  # ten photos, two of them one item
    assert [i.number for i in made.items] == list(range(1, 10))


def test_the_credit_summary_names_the_exceptions(demo):
    made = _sheet(demo)
    pair_no = next(i.number for i in made.items if i.kind == "pair")
    assert made.credit_summary == [
        "All photographs by Min Saebyeok / Northline Photo Desk in late July 2023, "
        f"except No. {pair_no} (left, Ilse Marquardt / Northline Photo Desk, 14 September 2019).",
        "Graphics: No. 1 (Northline Photo Desk).",
        "Maps: No. 3 (Northline Photo Desk).",
    ]


def test_the_credit_summary_in_korean_and_japanese(demo):
    ko = _sheet(demo, "ko").credit_summary[0]
    assert ko.startswith("사진 전체: Min Saebyeok / Northline Photo Desk, 2023년 7월 하순")
    assert "2019년 9월 14일" in ko and "왼쪽" in ko
    ja = _sheet(demo, "ja").credit_summary[0]
    assert ja.startswith("写真はすべてMin Saebyeok / Northline Photo Desk、2023年7月下旬")


def _entry_item(credit, text, n):
    taken = parse_date(text) if text else None
    entry = sheet.Entry(
        id=n,
        file_name=f"{n}.jpg",
        sha256="0" * 64,
        kind="photo",
        original=Path("x"),
        thumbnail=None,
        taken=taken,
        captions={},
        fields={"credit": credit} if credit else {},
        keywords=[],
        created_place=None,
        shown_place=None,
    )
    return sheet._photo_item(n, entry, "en")


def test_the_credit_summary_encloses_the_main_dates_and_lists_the_rest():
    items = [
        _entry_item("A", "24 July 2023", 1),
        _entry_item("A", "29 July 2023", 2),
        _entry_item("B", "26 July 2023", 3),
        _entry_item("A", None, 4),
        _entry_item(None, "September 2019", 5),
    ]
    assert sheet.credit_summary(items, "en") == [
        "All photographs by A in late July 2023, except No. 3 (B), No. 4 (date unknown) "
        "and No. 5 (uncredited, September 2019)."
    ]
    assert sheet.credit_summary(
        [_entry_item("A", "3 July 2023", 1), _entry_item("A", "28 July 2023", 2)], "en"
    ) == ["All photographs by A in July 2023."]


def test_every_field_is_in_the_json_under_its_iptc_name(demo):
    made = _sheet(demo)
    doc = json.loads(_render_json(made))
    photo = doc["items"][3]["photos"][0]
    for name in (
        "Headline",
        "Description",
        "Creator",
        "Credit Line",
        "Date Created",
        "Location Shown",
        "Location Created",
        "Keywords",
        "Copyright Notice",
    ):
        assert name in photo
    assert photo["Description"]["en"]
    assert photo["Date Created"] == "2023-07-24"
    assert doc["credit_summary"] == made.credit_summary


def _render_json(made):
    from photodesk.export import json as json_format

    return json.dumps(json_format.document(made))


@pytest.fixture
def hostile(tmp_path):
    archive = demo_archive(tmp_path / "hostile")
    ids = ids_by_name(archive)
    target = ids["quanhe_02_trucks_gate.jpg"]
    with Catalog.open(archive) as catalog:
        photos.set_caption(catalog.db, target, "en", HOSTILE)
        photos.update(catalog.db, target, {"credit": "../../x", "instructions": "@SUM(A1:A9)"})
    return archive, target


def test_hostile_text_is_inert_in_every_format(hostile, tmp_path):
    archive, target = hostile
    made = _sheet(archive, ids=[target])
    out = {fmt: tmp_path / f"s.{fmt}" for fmt in ("csv", "md", "json", "html")}
    for fmt, path in out.items():
        write_sheet(made, fmt, path)
    cells = list(csv.reader(io.StringIO(out["csv"].read_text(encoding="utf-8"))))
    row = dict(zip(cells[0], cells[1], strict=True))
    assert row["Description"].startswith("'=HYPERLINK(")
    assert row["Instructions"] == "'@SUM(A1:A9)"
    assert row["Headline"] == "<script>alert(1)</script>"  # text, not a formula: left alone
    html = out["html"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    md = out["md"].read_text(encoding="utf-8")
    assert "<script>" not in md and r"\<script\>" in md
    assert "](javascript" not in md
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert doc["items"][0]["headline"] == "<script>alert(1)</script>"
    for path in out.values():
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text, path
        assert "redred" not in text and "red" in text
    pdftotext = shutil.which("pdftotext")
    if _pdf_ready() and pdftotext:
        write_sheet(made, "pdf", tmp_path / "s.pdf")
        printed = subprocess.run(
            [pdftotext, str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "<script>alert(1)</script>" in printed  # set as text, not run as markup
        assert '=HYPERLINK("http://evil.example","click")' in "".join(printed.split("\n"))


def test_formula_cells_are_defused():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert defuse(start + "1+1") == "'" + start + "1+1"
    assert defuse("plain") == "plain" and defuse(None) == ""


def test_markdown_escape_leaves_no_markup():
    assert escape("1. not a list") == "1\\. not a list"
    assert escape("- not a list") == "\\- not a list"
    assert escape("a_b*c*") == "a\\_b\\*c\\*"


def test_excel_csv_starts_with_a_bom(demo, tmp_path):
    out = tmp_path / "s.csv"
    write_sheet(_sheet(demo), "csv", out, SheetOptions(excel=True))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfNo.,")


def test_the_html_sheet_inlines_its_thumbnails(demo, tmp_path):
    out = tmp_path / "s.html"
    write_sheet(_sheet(demo), "html", out)
    html = out.read_text(encoding="utf-8")
    assert html.count('src="data:image/jpeg;base64,') == 10  # ten photos, one pair of them
    assert not (tmp_path / "s_files").exists()


def test_the_html_sheet_with_a_thumbnail_folder(demo, tmp_path):
    out = tmp_path / "s.html"
    write_sheet(_sheet(demo), "html", out, SheetOptions(thumbs_folder=True))
    files = sorted(p.name for p in (tmp_path / "s_files").iterdir())
    assert len(files) == 10 and all(name.endswith(".jpg") for name in files)
    assert all(f'src="s_files/{name}"' in out.read_text(encoding="utf-8") for name in files)


def test_a_selection_names_exactly_one_way(demo):
    with Catalog.open(demo) as catalog:
        with pytest.raises(ExportError, match="exactly one"):
            select(catalog)
        with pytest.raises(ExportError, match="exactly one"):
            select(catalog, story=STORY, ids=[1])
        with pytest.raises(ExportError, match="no photo with id 999"):
            select(catalog, ids=[1, 999])
        with pytest.raises(ExportError, match="no photos match"):
            select(catalog, query="zzzzqqq")
        found = select(catalog, query="fence")
        assert len(found.photo_ids) == 2
        assert stories.photo_order(catalog.db, stories.require(catalog.db, STORY))


def test_the_cli_writes_each_format(demo, run, tmp_path):
    for fmt in FORMATS:
        if fmt == "pdf" and not _pdf_ready():
            continue
        out = tmp_path / f"sheet.{fmt}"
        result = run("export", "sheet", "--story", STORY, "--format", fmt, "--out", str(out))
        assert out.is_file() and out.stat().st_size > 0
        assert "9 items in en" in result.output
        assert out.stat().st_mode & 0o044  # the umask's permissions, readable by the desk


def test_the_cli_refuses_bad_input_in_one_line(demo, run, tmp_path):
    missing = tmp_path / "no-such-folder" / "s.csv"
    result = run(
        "export", "sheet", "--story", STORY, "--format", "csv", "--out", str(missing), ok=False
    )
    assert "no folder" in result.output and not missing.parent.exists()
    result = run("export", "sheet", "--story", "no such story", "--format", "csv", ok=False)
    assert len(result.output.strip().splitlines()) == 1
    result = run("export", "sheet", "--ids", "1,x", ok=False)
    assert "'x' is not an id" in result.output
    result = run("export", "sheet", "--format", "csv", ok=False)
    assert "exactly one" in result.output


def test_a_search_sheet_is_in_date_order(demo, run, tmp_path):
    out = tmp_path / "fence.json"
    run("export", "sheet", "--search", "fence", "--format", "json", "--out", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["title"] == "photos matching 'fence'"
    assert len(doc["items"]) == 1 and doc["items"][0]["kind"] == "pair"


# -- real renderers --------------------------------------------------------------------


def _pdf_ready() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found is None and _in_ci():
        pytest.fail(f"{name} should be installed in CI (.ci/run installs it)")
    return found


JAPANESE = "豆満江の岸に立つ二重の国境フェンス。北朝鮮の丘が見える。"


def test_the_pdf_sets_korean_and_japanese_text(tmp_path):
    if not _pdf_ready():
        if _in_ci():
            pytest.fail("WeasyPrint and Pango should be installed in CI")
        pytest.skip("WeasyPrint or the Pango library is not installed")
    pdftotext = _tool("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    demo = demo_archive(tmp_path / "cjk")
    target = ids_by_name(demo)["quanhe_01_nk_customs.jpg"]
    with Catalog.open(demo) as catalog:
        photos.set_caption(catalog.db, target, "ja", {"description": JAPANESE})
    for lang in ("ko", "ja"):
        out = tmp_path / f"{lang}.pdf"
        made = _sheet(demo, lang, ids=[target])
        write_sheet(made, "pdf", out)
        text = subprocess.run(
            [pdftotext, str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        caption = made.items[0].caption
        assert caption, f"the demo photo has a {lang} caption"
        # pdftotext breaks lines where the page does: compare without white space
        assert "".join(caption.split())[:30] in "".join(text.split())
    pdftoppm = _tool("pdftoppm")
    if pdftoppm is not None:
        subprocess.run(
            [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
            check=True,
        )
        from PIL import Image

        [page] = list(tmp_path.glob("page*.png"))
        with Image.open(page) as im:
            assert im.convert("L").getextrema()[0] < 100  # something dark was drawn


def test_a_missing_cjk_font_is_a_clear_error(demo, tmp_path, monkeypatch):
    if not _pdf_ready():
        pytest.skip("WeasyPrint or the Pango library is not installed")
    monkeypatch.setenv("PHOTODESK_FONT_DIRS", str(tmp_path / "no-fonts"))
    made = _sheet(demo, "ko", ids=[ids_by_name(demo)["quanhe_01_nk_customs.jpg"]])
    with pytest.raises(ExportError, match=r"fonts-noto-cjk|Noto Sans CJK"):
        write_sheet(made, "pdf", tmp_path / "ko.pdf")
    assert not (tmp_path / "ko.pdf").exists()


def test_the_html_sheet_renders_in_chromium(demo, tmp_path):
    chromium = _tool("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    out = tmp_path / "s.html"
    write_sheet(_sheet(demo), "html", out)
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1000,1400",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    from PIL import Image

    with Image.open(shot) as im:
        grey = im.convert("L")
        low, high = grey.getextrema()
        assert high - low > 100  # text and photos, not a blank page
        histogram = grey.histogram()
        assert sum(histogram[:128]) > 0.01 * sum(histogram)
