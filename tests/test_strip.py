"""metadata.strip names each kind of identifying metadata a file can carry, one crafted file each.

A publish copy is verified by this module finding nothing, so each check must
be able to find something: every case below starts from a clean JPEG (which
must give []) and adds one field.
"""

from __future__ import annotations

import io
import struct

import pyexiv2
import pytest
from PIL import Image

from imagegen import exif_block, insert_segment, iptc_app13, jpeg_bytes
from photodesk.metadata.strip import UnreadableMetadata, identifying


def _clean() -> bytes:
    return jpeg_bytes(seed=5)


def _exiv2(data: bytes, exif=None, xmp=None, comment=None, thumbnail=False) -> bytes:
    img = pyexiv2.ImageData(data)
    try:
        if exif:
            img.modify_exif(exif)
        if xmp:
            img.modify_xmp(xmp)
        if comment:
            img.modify_comment(comment)
        if thumbnail:
            small = io.BytesIO()
            Image.new("RGB", (8, 8)).save(small, "JPEG")
            img.modify_thumbnail(small.getvalue())
        return img.get_bytes()
    finally:
        img.close()


CASES = {
    "exif gps": ({"exif": {"Exif.GPSInfo.GPSLatitudeRef": "N"}}, "GPS position"),
    "xmp gps": ({"xmp": {"Xmp.exif.GPSLatitude": "42,25.926N"}}, "GPS position"),
    "location created gps": (
        {
            "xmp": {
                "Xmp.iptcExt.LocationCreated": "type=Bag",
                "Xmp.iptcExt.LocationCreated[1]/exif:GPSLongitude": "130,36.07E",
            }
        },
        "GPS position",
    ),
    "body serial": ({"exif": {"Exif.Photo.BodySerialNumber": "B1"}}, "body serial number"),
    "camera serial": ({"exif": {"Exif.Image.CameraSerialNumber": "C1"}}, "body serial number"),
    "aux serial": ({"xmp": {"Xmp.aux.SerialNumber": "A1"}}, "body serial number"),
    "lens serial": ({"exif": {"Exif.Photo.LensSerialNumber": "L1"}}, "lens serial number"),
    "aux lens serial": ({"xmp": {"Xmp.aux.LensSerialNumber": "L1"}}, "lens serial number"),
    "maker-note serial": (
        {"exif": {"Exif.Image.Make": "Canon", "Exif.Canon.SerialNumber": "1234567"}},
        "body serial number",
    ),
    "maker notes": (
        {"exif": {"Exif.Image.Make": "Canon", "Exif.Canon.ImageType": "IMG:EOS 5D JPEG"}},
        "maker notes",
    ),
    "owner": ({"exif": {"Exif.Photo.CameraOwnerName": "Kim"}}, "camera owner name"),
    "aux owner": ({"xmp": {"Xmp.aux.OwnerName": "Kim"}}, "camera owner name"),
    "artist": ({"exif": {"Exif.Image.Artist": "Kim"}}, "artist name"),
    "thumbnail": ({"thumbnail": True}, "embedded thumbnail"),
    "preserved name": (
        {"xmp": {"Xmp.xmpMM.PreservedFileName": "KIM_0001.jpg"}},
        "original file name",
    ),
    "raw name": ({"xmp": {"Xmp.crs.RawFileName": "KIM_0001.CR2"}}, "original file name"),
    "history": (
        {
            "xmp": {
                "Xmp.xmpMM.History": "type=Seq",
                "Xmp.xmpMM.History[1]/stEvt:action": "saved",
            }
        },
        "editing history",
    ),
    "derived from": (
        {"xmp": {"Xmp.xmpMM.DerivedFrom/stRef:documentID": "xmp.did:1"}},
        "editing history",
    ),
    "document id": ({"xmp": {"Xmp.xmpMM.DocumentID": "xmp.did:1"}}, "document and image IDs"),
    "instance id": ({"xmp": {"Xmp.xmpMM.InstanceID": "xmp.iid:1"}}, "document and image IDs"),
    "original document id": (
        {"xmp": {"Xmp.xmpMM.OriginalDocumentID": "1"}},
        "document and image IDs",
    ),
    "face regions": (
        {"xmp": {"Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions/stDim:w": "640"}},
        "face regions",
    ),
    "windows regions": (
        {
            "xmp": {
                "Xmp.MP.RegionInfo/MPRI:Regions": "type=Bag",
                "Xmp.MP.RegionInfo/MPRI:Regions[1]/MPReg:PersonDisplayName": "Kim",
            }
        },
        "face regions",
    ),
    "person in image": (
        {"xmp": {"Xmp.iptcExt.PersonInImage": ["Kim"]}},
        "people named in the image",
    ),
    "comment": ({"comment": "Kim's camera"}, "file comment"),
    "host computer": ({"exif": {"Exif.Image.HostComputer": "KIMS-LAPTOP"}}, "computer name"),
}


def test_a_clean_jpeg_carries_nothing():
    assert identifying(_clean()) == []


@pytest.mark.parametrize("case", list(CASES))
def test_each_identifying_field_is_found(case):
    changes, label = CASES[case]
    data = _exiv2(_clean(), **changes)
    assert label in identifying(data)


def test_what_the_desk_writes_is_not_identifying():
    from photodesk.dates import parse_date
    from photodesk.metadata.write import Embedding, Location, embed_embedding

    emb = Embedding(
        captions={
            "en": {"description": "Bridge", "headline": "Bridge"},
            "ko": {"description": "다리"},
        },
        default_lang="en",
        fields={
            "creator": "Partner",
            "credit": "Agency",
            "keywords": ["bridge"],
            "date": "2023-07",
        },
        taken=parse_date("late July 2023"),
        places={"shown_place": Location("Wonjong", {"city": "Rason", "country_code": "KP"})},
    )
    data, _ = embed_embedding(_clean(), emb)
    assert identifying(data) == []
    with_gps, _ = embed_embedding(
        _clean(), Embedding(captions={}, default_lang="en", gps=(42.4, 130.6))
    )
    assert identifying(with_gps) == ["GPS position"]


def test_owner_and_artist_equal_to_the_credited_creator_are_not_counted():
    data = _exiv2(
        _clean(),
        exif={"Exif.Image.Artist": "Kim  Chul-su", "Exif.Photo.CameraOwnerName": "kim chul-su"},
    )
    assert identifying(data, creator="Kim Chul-su") == []
    assert identifying(data, creator="Agency; Kim Chul-su") == []
    assert identifying(data, creator="Someone else") == ["camera owner name", "artist name"]


def test_utf8_owner_names_compare_as_text():
    data = _exiv2(_clean(), exif={"Exif.Image.Artist": "김철수"})
    assert identifying(data, creator="김철수") == []


def test_labels_come_in_a_fixed_order_once_each():
    data = jpeg_bytes(exif=exif_block(serial="B1", artist="Kim"))
    data = _exiv2(data, xmp={"Xmp.aux.SerialNumber": "B1"}, thumbnail=True)
    assert identifying(data) == [
        "GPS position",
        "body serial number",
        "artist name",
        "embedded thumbnail",
    ]


# -- blocks exiv2 does not report ------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return insert_segment(_clean(), marker, payload)


def _photoshop_resource(resource: int, body: bytes) -> bytes:
    padded = body + b"\x00" * (len(body) % 2)
    return (
        b"Photoshop 3.0\x00"
        + b"8BIM"
        + struct.pack(">H", resource)
        + b"\x00\x00"
        + struct.pack(">I", len(body))
        + padded
    )


@pytest.mark.parametrize(
    "data, label",
    [
        (_segment(0xFE, b"shot by Kim"), "file comment"),
        (_segment(0xE0, b"JFXX\x00\x10" + b"\x00" * 40), "embedded thumbnail"),
        (_segment(0xE2, b"MPF\x00II*\x00"), "embedded preview image"),
        (_segment(0xE5, b"RMETA\x00 camera debug"), "unrecognised metadata block"),
        (_segment(0xED, _photoshop_resource(0x040C, b"\xff\xd8thumb")), "embedded thumbnail"),
    ],
    ids=["comment", "jfxx", "mpf", "app5", "photoshop-thumbnail"],
)
def test_jpeg_blocks_outside_exif_and_xmp_are_found(data, label):
    assert label in identifying(data)


def test_iptc_and_icc_blocks_alone_are_not_identifying():
    with_iptc = _segment(0xED, iptc_app13({120: "Bridge", 80: "Partner"}))
    assert identifying(with_iptc) == []
    profile = io.BytesIO()
    Image.new("RGB", (8, 8)).save(profile, "JPEG", icc_profile=b"\x00" * 128)
    assert identifying(profile.getvalue()) == []


# -- other files -----------------------------------------------------------------------


def test_a_sidecar_is_read_too(tmp_path):
    sidecar = tmp_path / "s.xmp"
    sidecar.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="42,25.9N"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    assert identifying(sidecar.read_bytes()) == ["GPS position"]


def test_png_is_read():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    assert identifying(_exiv2(out.getvalue(), exif={"Exif.Image.Artist": "Kim"})) == ["artist name"]


@pytest.mark.parametrize("data", [b"not an image at all", b""], ids=["text", "empty"])
def test_bytes_exiv2_cannot_read_are_an_error_not_a_clean_bill(data):
    with pytest.raises(UnreadableMetadata, match="exiv2 cannot read"):
        identifying(data)
