"""Images with known metadata, made here so every expected value is known."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction
from pathlib import Path

from PIL import Image, TiffImagePlugin

IFD_EXIF, IFD_GPS = 0x8769, 0x8825


def _dms(value: float) -> tuple:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction((value - d - m / 60) * 3600).limit_denominator(10000)
    return (
        TiffImagePlugin.IFDRational(d, 1),
        TiffImagePlugin.IFDRational(m, 1),
        TiffImagePlugin.IFDRational(s.numerator, s.denominator),
    )


def exif_block(
    make: str | None = "FUJIFILM",
    model: str | None = "X-T4",
    taken: str | None = "2023:07:28 14:05:09",
    offset: str | None = "+08:00",
    gps: tuple[float, float, float] | None = (42.4321, 130.6012, 35.0),
    orientation: int | None = None,
    serial: str | None = None,
    artist: str | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    if artist:
        exif[0x013B] = artist
    sub = exif.get_ifd(IFD_EXIF)
    if taken:
        sub[0x9003] = taken
    if offset:
        sub[0x9011] = offset
    if serial:
        sub[0xA431] = serial
    if gps:
        lat, lon, alt = gps
        g = exif.get_ifd(IFD_GPS)
        g[1] = "N" if lat >= 0 else "S"
        g[2] = _dms(lat)
        g[3] = "E" if lon >= 0 else "W"
        g[4] = _dms(lon)
        g[5] = b"\x00" if alt >= 0 else b"\x01"
        g[6] = TiffImagePlugin.IFDRational(Fraction(abs(alt)).limit_denominator(100))
    return exif


def picture(size: tuple[int, int] = (640, 480), seed: int = 0) -> Image.Image:
    """Top half red, bottom half blue, with a seed-dependent stripe so bytes differ."""
    w, h = size
    im = Image.new("RGB", size, (200, 30, 30))
    im.paste((30, 30, 200), (0, h // 2, w, h))
    x = (seed * 37) % max(1, w - 8)
    im.paste((seed % 256, (seed * 7) % 256, 90), (x, 0, x + 8, h))
    return im


def jpeg_bytes(
    size: tuple[int, int] = (640, 480),
    seed: int = 0,
    exif: Image.Exif | None = None,
    xmp: str | None = None,
    quality: int = 85,
) -> bytes:
    out = io.BytesIO()
    kwargs: dict = {"quality": quality}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
    if xmp is not None:
        kwargs["xmp"] = xmp.encode()
    picture(size, seed).save(out, "JPEG", **kwargs)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def insert_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """Put an APPn segment right after SOI, before any EXIF block (as some phones do)."""
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def iptc_app13(fields: dict[int, str | list[str]], utf8: bool = True) -> bytes:
    """A Photoshop APP13 block holding IIM record-2 datasets."""
    iim = b""
    if utf8:
        iim += b"\x1c\x01\x5a" + struct.pack(">H", 3) + b"\x1b%G"
    for dataset, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            raw = v.encode("utf-8" if utf8 else "latin-1")
            iim += b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(raw)) + raw
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    return b"Photoshop 3.0\x00" + resource


def xmp_packet(
    description: dict[str, str] | None = None,
    headline: str | None = None,
    creator: str | None = None,
    credit: str | None = None,
    title: dict[str, str] | None = None,
) -> str:
    parts = []
    if description:
        lis = "".join(f'<rdf:li xml:lang="{k}">{v}</rdf:li>' for k, v in description.items())
        parts.append(f"<dc:description><rdf:Alt>{lis}</rdf:Alt></dc:description>")
    if title:
        lis = "".join(f'<rdf:li xml:lang="{k}">{v}</rdf:li>' for k, v in title.items())
        parts.append(f"<dc:title><rdf:Alt>{lis}</rdf:Alt></dc:title>")
    if creator:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>")
    attrs = ""
    if headline:
        attrs += f' photoshop:Headline="{headline}"'
    if credit:
        attrs += f' photoshop:Credit="{credit}"'
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"{attrs}>'
        + "".join(parts)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def png_bytes(size: tuple[int, int] = (64, 48), seed: int = 0) -> bytes:
    out = io.BytesIO()
    picture(size, seed).save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG whose header claims a huge size: Pillow must refuse it unopened."""
    small = png_bytes((1, 1))
    ihdr_start = 8
    length = struct.unpack(">I", small[ihdr_start : ihdr_start + 4])[0]
    body = bytearray(small[ihdr_start + 8 : ihdr_start + 8 + length])
    body[0:8] = struct.pack(">II", width, height)
    chunk = b"IHDR" + bytes(body)
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    end = ihdr_start + 8 + length + 4
    return small[:ihdr_start] + struct.pack(">I", length) + chunk + crc + small[end:]


def heic_bytes(size: tuple[int, int] = (320, 240), seed: int = 0) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    picture(size, seed).save(out, "HEIF", quality=60)
    return out.getvalue()
