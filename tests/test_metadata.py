"""Reading what a file already says: EXIF (both readers), IPTC, XMP, sidecars."""

import io

import pytest
from PIL import Image

from imagegen import exif_block, insert_segment, iptc_app13, jpeg_bytes, xmp_packet
from photodesk.metadata import find_sidecar, read_metadata
from photodesk.metadata.exif import read_exif
from photodesk.metadata.xmp import parse_xmp


def _meta(data: bytes, sidecar: bytes | None = None, lang: str = "en"):
    return read_metadata(data, Image.open(io.BytesIO(data)), sidecar, lang)


def test_exif_fields():
    data = jpeg_bytes(
        exif=exif_block(gps=(42.4321, 130.6012, 35.0), orientation=6, serial="SN123", artist="Kim")
    )
    facts = read_exif(data, Image.open(io.BytesIO(data)))
    assert facts.taken == "2023:07:28 14:05:09"
    assert facts.offset == "+08:00"
    assert (facts.make, facts.model, facts.serial, facts.orientation) == (
        "FUJIFILM",
        "X-T4",
        "SN123",
        6,
    )
    assert facts.gps_lat == pytest.approx(42.4321, abs=1e-5)
    assert facts.gps_lon == pytest.approx(130.6012, abs=1e-5)
    assert facts.gps_alt == pytest.approx(35.0)


def test_southern_western_and_below_sea_level():
    data = jpeg_bytes(exif=exif_block(gps=(-33.8568, -70.6693, -12.5)))
    facts = read_exif(data, Image.open(io.BytesIO(data)))
    assert facts.gps_lat == pytest.approx(-33.8568, abs=1e-5)
    assert facts.gps_lon == pytest.approx(-70.6693, abs=1e-5)
    assert facts.gps_alt == pytest.approx(-12.5)


def test_exif_behind_other_app_segments_falls_back_to_pillow():
    """Phones put APP6 blocks before EXIF; exifread then sees nothing, Pillow does."""
    data = jpeg_bytes(exif=exif_block(make="motorola", model="moto g"))
    data = insert_segment(data, 0xE6, b"MMIMETA\x00" + b"\x00" * 65000)
    import exifread

    assert exifread.process_file(io.BytesIO(data), details=False) == {}
    facts = read_exif(data, Image.open(io.BytesIO(data)))
    assert (facts.make, facts.model, facts.taken) == ("motorola", "moto g", "2023:07:28 14:05:09")
    assert facts.gps_lat == pytest.approx(42.4321, abs=1e-5)


def test_malformed_exif_is_not_fatal():
    data = insert_segment(jpeg_bytes(), 0xE1, b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x00")
    facts = read_exif(data, Image.open(io.BytesIO(data)))
    assert facts.make is None and facts.taken is None


def test_iptc_iim_utf8_and_keywords():
    app13 = iptc_app13(
        {
            120: "트럭들이 세관 앞에 줄지어 있다",
            105: "Trucks queue",
            80: "Partner A",
            110: "Northline",
            115: "Partner",
            116: "© 2023",
            25: ["border", "trade"],
            90: "Hunchun",
            101: "China",
        }
    )
    meta = _meta(insert_segment(jpeg_bytes(), 0xED, app13))
    assert meta.captions["en"]["description"] == "트럭들이 세관 앞에 줄지어 있다"
    assert meta.captions["en"]["headline"] == "Trucks queue"
    assert meta.fields["creator"] == "Partner A"
    assert meta.fields["credit"] == "Northline"
    assert meta.fields["copyright"] == "© 2023"
    assert meta.keywords == ["border", "trade"]
    assert meta.place == {"city": "Hunchun", "country": "China"}


def test_iptc_without_language_goes_to_archive_default():
    meta = _meta(insert_segment(jpeg_bytes(), 0xED, iptc_app13({120: "세관"})), lang="ko")
    assert meta.captions == {"ko": {"description": "세관"}}


def test_xmp_lang_alt_keeps_languages():
    packet = xmp_packet(
        description={"x-default": "Customs house", "ko": "세관", "ja": "税関"},
        headline="Quanhe",
        creator="Partner A",
        credit="Northline",
    )
    meta = _meta(jpeg_bytes(xmp=packet))
    assert meta.captions["en"] == {"description": "Customs house", "headline": "Quanhe"}
    assert meta.captions["ko"] == {"description": "세관"}
    assert meta.captions["ja"] == {"description": "税関"}
    assert meta.fields["creator"] == "Partner A"
    assert meta.fields["credit"] == "Northline"


def test_xmp_wins_over_iim_and_sidecar_wins_over_both():
    packet = xmp_packet(description={"x-default": "from XMP"})
    data = insert_segment(jpeg_bytes(xmp=packet), 0xED, iptc_app13({120: "from IIM", 110: "C"}))
    meta = _meta(data)
    assert meta.captions["en"]["description"] == "from XMP"
    assert meta.fields["credit"] == "C"  # nothing lost: only IIM had a credit
    sidecar = xmp_packet(description={"x-default": "from sidecar"}).encode()
    assert _meta(data, sidecar).captions["en"]["description"] == "from sidecar"


def test_sidecar_names(tmp_path):
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"")
    assert find_sidecar(photo) is None
    (tmp_path / "a.jpg.xmp").write_text("x")
    assert find_sidecar(photo) == tmp_path / "a.jpg.xmp"
    (tmp_path / "a.xmp").write_text("x")
    assert find_sidecar(photo) == tmp_path / "a.xmp"


@pytest.mark.parametrize(
    "packet",
    [b"", b"<x:xmpmeta", b"\x00\xff garbage", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"],
)
def test_malformed_xmp_yields_nothing(packet):
    assert parse_xmp(packet) == {}
