from imagegen import heic_bytes, jpeg_bytes, png_bytes
from photodesk.ingest.sniff import sniff


def test_by_content_not_name():
    assert sniff(jpeg_bytes()[:32]) == "JPEG"
    assert sniff(png_bytes()[:32]) == "PNG"
    assert sniff(heic_bytes()[:32]) == "HEIF"


def test_magic_numbers():
    assert sniff(b"GIF89a" + b"\0" * 26) == "GIF"
    assert sniff(b"II*\x00" + b"\0" * 28) == "TIFF"
    assert sniff(b"MM\x00*" + b"\0" * 28) == "TIFF"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\0" * 16) == "WEBP"
    assert sniff(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1" + b"\0" * 4) == "AVIF"
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 8) == "HEIF"


def test_non_images():
    assert sniff(b"") is None
    assert sniff(b"hello, world, this is a caption file") is None
    assert sniff(b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomiso2") is None  # an MP4 video
    assert sniff(b"%PDF-1.7\n") is None
