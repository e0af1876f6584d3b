"""Tell image files by their first bytes, not by their names.

A HEIC named `.jpg` and a text file named `.png` both occur in partners'
batches; the extension is only used to name the archived copy.
"""

from __future__ import annotations

# ISO-BMFF brands (the `ftyp` box) that carry still images Pillow can open
# through pillow-heif or its own AVIF plugin.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}

HEAD_SIZE = 32

EXTENSIONS = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "GIF": ".gif",
    "TIFF": ".tif",
    "WEBP": ".webp",
    "HEIF": ".heic",
    "AVIF": ".avif",
    "BMP": ".bmp",
    "ICO": ".ico",
    "ICNS": ".icns",
    "SGI": ".sgi",
    "JPEG2000": ".jp2",
    "JPEGXL": ".jxl",
}


def sniff(head: bytes) -> str | None:
    """Return a format family for the leading bytes of a file, or None if not an image."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"  # also DNG and most camera raw files
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brands = {head[i : i + 4] for i in range(8, min(len(head), 32), 4)}
        if brands & _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
        return None
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xffO\xffQ"):
        return "JPEG2000"
    if head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n") or head.startswith(b"\xff\x0a"):
        return "JPEGXL"
    if head[:2] == b"BM" and len(head) >= 14:
        return "BMP"
    if head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"):
        return "ICO"
    if head[:4] == b"icns":
        return "ICNS"
    if head[:2] == b"\x01\xda":
        return "SGI"
    return None
