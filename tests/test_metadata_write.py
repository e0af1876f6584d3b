"""The metadata writer: every text field of the table goes in as IPTC-IIM and XMP and reads back.

Read back three ways: photodesk's own reader, pyexiv2 (exiv2, the writer's own
library, key by key) and, where installed, exiftool (an independent reader).
The values come from the field table, so a new text field is covered here the
day its row is added.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyexiv2
import pytest
from PIL import Image

from imagegen import insert_segment, iptc_app13, jpeg_bytes, png_bytes, write
from photodesk.errors import PhotodeskError
from photodesk.fields import FIELDS, Field
from photodesk.metadata import read_metadata
from photodesk.metadata.write import MetadataWriteError, embed_metadata, writable, write_metadata

WRITTEN = [f for f in FIELDS if writable(f)]
TEXT = {"en": "Quanhe customs house", "ko": "취안허 세관", "ja": "泉河税関"}


def test_the_writer_covers_every_text_field_of_the_table():
    names = {f.name for f in WRITTEN}
    assert {"headline", "title", "description", "creator", "credit", "keywords", "date"} <= names
    # No text form in IIM or XMP: structures, gazetteer references and choices.
    assert not names & {"created_place", "shown_place", "kind", "status"}
    assert all(f.iim_name or f.xmp for f in WRITTEN)


def _fit(text: str, limit: int | None) -> str:
    """Cut at a character boundary so the sample stays within IIM's byte limit."""
    while limit is not None and len(text.encode()) > limit:
        text = text[:-1]
    return text


def _sample(f: Field, lang: str) -> object:
    """A value for any field of the table, in `lang`'s script, within its IIM limit."""
    if f.type == "date":
        return "2019-09-28"
    if f.type == "list":
        return [_fit(f"{TEXT[lang]} {n}", f.iim_limit) for n in (1, 2)]
    if f.iim_limit is not None and f.iim_limit <= 3:
        return "KP"  # a code, such as the country code
    return _fit(f"{f.label}: {TEXT[lang]}", f.iim_limit).strip()


def _values(lang: str) -> dict[str, object]:
    return {f.name: _sample(f, lang) for f in WRITTEN}


def _jpeg(tmp_path: Path, name: str = "photo.jpg", **kwargs) -> Path:
    return write(tmp_path / name, jpeg_bytes(**kwargs))


def _read(path: Path, default_lang: str = "en"):
    data = path.read_bytes()
    return read_metadata(data, Image.open(io.BytesIO(data)), None, default_lang)


def _exiv2(path: Path) -> tuple[dict, dict]:
    img = pyexiv2.Image(str(path))
    try:
        return img.read_iptc(), img.read_xmp()
    finally:
        img.close()


def _xmp_value(xmp: dict, f: Field):
    """The value of a field's XMP property, by its property name (unique in the table)."""
    (value,) = [v for k, v in xmp.items() if k.split(".")[-1] == f.xmp_property]
    return value


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_every_field_reads_back_with_photodesks_reader(tmp_path, lang):
    path = _jpeg(tmp_path)
    values = _values(lang)
    assert write_metadata(path, values, lang) == []
    meta = _read(path, default_lang=lang)
    for f in WRITTEN:
        expected = values[f.name]
        if f.scope == "language":
            assert meta.captions[lang][f.name] == expected, f.name
        elif f.type == "list":
            assert meta.keywords == expected
        elif f.type == "date":
            assert meta.date_created == expected
        elif f.scope == "place":
            assert meta.place[f.name] == expected, f.name
        else:
            assert meta.fields[f.name] == expected, f.name


def test_lang_alt_fields_keep_their_language_whatever_the_readers_default(tmp_path):
    """dc:title and dc:description say their language; a headline (IIM, simple XMP) cannot."""
    path = _jpeg(tmp_path)
    values = _values("ko")
    write_metadata(path, values, "ko")
    meta = _read(path, default_lang="en")
    for f in WRITTEN:
        if f.scope == "language" and f.xmp_kind == "lang-alt":
            assert meta.captions["ko"][f.name] == values[f.name], f.name


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_every_field_reads_back_with_exiv2_as_iim_and_xmp(tmp_path, lang):
    path = _jpeg(tmp_path)
    values = _values(lang)
    write_metadata(path, values, lang)
    iptc, xmp = _exiv2(path)
    # Without the UTF-8 mark, readers take Hangul and kana bytes for Latin-1.
    assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"
    for f in WRITTEN:
        expected = values[f.name]
        iim = iptc.get(f"Iptc.Application2.{f.iim_name}")
        if f.type == "date":
            assert (iim, _xmp_value(xmp, f)) == ("2019-09-28", expected)
            continue
        assert _as_list(iim) == _as_list(expected), f.name
        value = _xmp_value(xmp, f)
        if f.xmp_kind == "lang-alt" and f.scope == "language":
            assert value == {'lang="x-default"': expected, f'lang="{lang}"': expected}, f.name
        elif f.xmp_kind == "lang-alt":  # dc:rights: one notice, in no particular language
            assert value == {'lang="x-default"': expected}, f.name
        elif f.xmp_kind in ("seq", "bag"):
            assert value == _as_list(expected), f.name  # creator: a one-item list
        else:
            assert value == expected, f.name


def test_an_independent_reader_agrees(tmp_path):
    """exiftool reads what exiv2 wrote: IIM in UTF-8 and XMP with its languages."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool is not installed")
    path = _jpeg(tmp_path)
    values = _values("ko")
    write_metadata(path, values, "ko")
    out = subprocess.run(
        [exiftool, "-json", "-G", "-struct", str(path)], capture_output=True, check=True
    )
    (tags,) = json.loads(out.stdout)
    assert tags["IPTC:CodedCharacterSet"] == "UTF8"
    assert tags["XMP:Description-ko"] == values["description"]
    assert tags["XMP:Title-ko"] == values["title"]
    iim = {v for k, vs in tags.items() if k.startswith("IPTC:") for v in _as_list(vs)}
    xmp = {v for k, vs in tags.items() if k.startswith("XMP:") for v in _as_list(vs)}
    for f in WRITTEN:
        if f.type == "date":
            assert tags["IPTC:DateCreated"] == "2019:09:28"
            assert tags["XMP:DateCreated"] == "2019:09:28"
            continue
        for text in _as_list(values[f.name]):
            assert text in iim, (f.name, text)
            assert text in xmp, (f.name, text)


@pytest.mark.parametrize(
    "given, iim, xmp",
    [
        ("2019-09-28", "2019-09-28", "2019-09-28"),
        ("2019-09", None, "2019-09"),
        ("2019", None, "2019"),
    ],
)
def test_a_date_keeps_its_precision(tmp_path, given, iim, xmp):
    """IIM holds only a whole day (CCYYMMDD); XMP may stop at a month or a year."""
    path = _jpeg(tmp_path)
    write_metadata(path, {"date": given}, "en")
    found_iim, found_xmp = _exiv2(path)
    assert found_iim.get("Iptc.Application2.DateCreated") == iim
    assert found_xmp["Xmp.photoshop.DateCreated"] == xmp
    assert _read(path).date_created == xmp


@pytest.mark.parametrize("given", ["late July 2023", "2019-13", "2019-02-30", "19-09-28"])
def test_a_date_iptc_cannot_hold_is_refused(tmp_path, given):
    path = _jpeg(tmp_path)
    before = path.read_bytes()
    with pytest.raises(MetadataWriteError, match="YYYY-MM-DD, YYYY-MM or YYYY"):
        write_metadata(path, {"date": given, "headline": "Bridge"}, "en")
    assert path.read_bytes() == before  # nothing written, not even the headline


def test_text_over_the_iim_limit_is_written_whole_with_a_warning(tmp_path):
    path = _jpeg(tmp_path)
    caption = "두만강 위의 옛 다리와 새 다리, 중국 쪽에서 본 모습. " * 60
    creator = "김철수 (국경 취재 사진기자)"
    keyword = "Quanhe–Wonjong bridge over the Tumen River, seen from the Chinese bank"
    warnings = write_metadata(
        path, {"description": caption, "creator": creator, "keywords": ["bridge", keyword]}, "ko"
    )
    assert len(warnings) == 3
    sizes = {
        "description": (len(caption.encode()), 2000),
        "creator": (len(creator.encode()), 32),
        "keywords": (len(keyword.encode()), 64),
    }
    for warning, (name, (size, limit)) in zip(warnings, sizes.items(), strict=True):
        assert warning.startswith(name)
        assert f"{size} bytes" in warning and f"holds {limit}" in warning
        assert "\n" not in warning
    assert keyword in warnings[2]
    iptc, xmp = _exiv2(path)
    assert iptc["Iptc.Application2.Caption"] == caption  # never truncated
    assert iptc["Iptc.Application2.Byline"] == [creator]
    assert iptc["Iptc.Application2.Keywords"] == ["bridge", keyword]
    assert xmp["Xmp.dc.description"]['lang="ko"'] == caption


def test_none_and_empty_leave_the_file_as_it_was(tmp_path):
    path = _jpeg(tmp_path)
    write_metadata(path, {"headline": "Bridge", "credit": "Agency"}, "en")
    after_first = path.read_bytes()
    assert write_metadata(path, {"headline": "", "credit": None, "keywords": []}, "en") == []
    assert path.read_bytes() == after_first
    write_metadata(path, {"headline": "New bridge", "credit": ""}, "en")
    meta = _read(path)
    assert meta.captions["en"]["headline"] == "New bridge"
    assert meta.fields["credit"] == "Agency"


def test_a_language_written_later_replaces_the_caption(tmp_path):
    """A file carries one language's caption: the copy is made for that language."""
    path = _jpeg(tmp_path)
    write_metadata(path, {"description": TEXT["en"]}, "en")
    write_metadata(path, {"description": TEXT["ja"]}, "ja")
    _, xmp = _exiv2(path)
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': TEXT["ja"], 'lang="ja"': TEXT["ja"]}
    assert _read(path, "ja").captions == {"ja": {"description": TEXT["ja"]}}


def test_other_metadata_and_the_pixels_are_kept(tmp_path):
    from imagegen import exif_block

    path = _jpeg(tmp_path, exif=exif_block(serial="SN123"))
    pixels = Image.open(path).tobytes()
    write_metadata(path, {"headline": "Bridge"}, "en")
    with Image.open(path) as im:
        assert im.tobytes() == pixels
    assert _read(path).exif.serial == "SN123"  # stripping is another module's job


def test_legacy_iim_text_is_recoded_when_the_file_becomes_utf8(tmp_path):
    """A Latin-1 source line another tool wrote still reads right under our UTF-8 mark."""
    legacy = iptc_app13({115: "Agence Zürich", 25: ["Grenzbrücke", "fence"]}, utf8=False)
    path = write(tmp_path / "old.jpg", insert_segment(jpeg_bytes(), 0xED, legacy))
    write_metadata(path, {"headline": "Zaun"}, "de")
    iptc, _ = _exiv2(path)
    assert iptc["Iptc.Application2.Source"] == "Agence Zürich"
    assert iptc["Iptc.Application2.Keywords"] == ["Grenzbrücke", "fence"]
    assert _read(path).fields["source"] == "Agence Zürich"


def test_png_is_written_too(tmp_path):
    path = write(tmp_path / "chart.png", png_bytes((64, 48)))
    write_metadata(path, {"headline": "무역 도표", "credit": "Agency"}, "ko")
    _, xmp = _exiv2(path)
    assert xmp["Xmp.photoshop.Headline"] == "무역 도표"


def _one_line_error(path: Path, values=None) -> str:
    with pytest.raises(PhotodeskError) as info:
        write_metadata(path, values or {"headline": "Bridge"}, "en")
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert str(path.name) in message
    return message


@pytest.mark.parametrize(
    "content",
    [b"this is a caption sheet, not a photo", jpeg_bytes()[:200], b""],
    ids=["text", "truncated", "empty"],
)
def test_a_file_exiv2_cannot_write_gives_a_one_line_error(tmp_path, content):
    path = write(tmp_path / "broken.jpg", content)
    message = _one_line_error(path)
    assert "exiv2" in message
    assert path.read_bytes() == content  # untouched
    assert os.listdir(tmp_path) == ["broken.jpg"]  # and no temporary copy left behind


def test_a_missing_file_gives_a_one_line_error(tmp_path):
    assert "No such file" in _one_line_error(tmp_path / "gone.jpg")


def test_a_read_only_file_is_refused(tmp_path):
    """Read-only is how the archive keeps originals; the rename would not notice it."""
    path = _jpeg(tmp_path)
    path.chmod(0o444)
    assert "read-only" in _one_line_error(path)
    assert _read(path).captions == {}


def test_the_file_keeps_its_mode_and_a_symlink_stays_a_link(tmp_path):
    path = _jpeg(tmp_path)
    path.chmod(0o640)
    link = tmp_path / "link.jpg"
    link.symlink_to(path)
    write_metadata(link, {"headline": "Bridge"}, "en")
    assert link.is_symlink()
    assert (path.stat().st_mode & 0o777) == 0o640
    assert _read(path).captions["en"]["headline"] == "Bridge"


def test_a_kill_during_the_write_leaves_the_file_whole(tmp_path, monkeypatch):
    """The edit happens on a copy: if it dies half-way, the file is as it was."""
    path = _jpeg(tmp_path)
    before = path.read_bytes()

    def dies(self, data, encoding="utf-8"):
        raise KeyboardInterrupt

    monkeypatch.setattr(pyexiv2.Image, "modify_xmp", dies)
    with pytest.raises(KeyboardInterrupt):
        write_metadata(path, {"headline": "Bridge"}, "en")
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["photo.jpg"]


def test_unknown_fields_and_bad_values_are_caller_errors(tmp_path):
    path = _jpeg(tmp_path)
    with pytest.raises(ValueError, match="not a caption field"):
        write_metadata(path, {"headlnie": "Bridge"}, "en")
    with pytest.raises(ValueError, match="list of strings"):
        write_metadata(path, {"keywords": "bridge, fence"}, "en")
    with pytest.raises(PhotodeskError, match="language tag"):
        write_metadata(path, {"headline": "Bridge"}, 'en" x')


def test_embed_in_memory(tmp_path):
    data, warnings = embed_metadata(jpeg_bytes(), {"description": TEXT["ko"]}, "ko")
    assert warnings == []
    path = write(tmp_path / "mem.jpg", data)
    assert _read(path, "ko").captions["ko"]["description"] == TEXT["ko"]
    with pytest.raises(MetadataWriteError, match="cannot write captions"):
        embed_metadata(b"not an image", {"headline": "x"}, "en")


def test_control_characters_never_reach_the_file(tmp_path):
    target = tmp_path / "c.jpg"
    Image.new("RGB", (32, 32), "white").save(target)
    write_metadata(target, {"description": "a\x1b[31mred\x00\nline", "headline": "\x1b%@x"}, "en")
    meta = read_metadata(target.read_bytes(), Image.open(target), None, "en")
    assert meta.captions["en"]["description"] == "a[31mred\nline"
    assert meta.captions["en"]["headline"] == "%@x"
    assert b"\x1b[31m" not in target.read_bytes()
