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
    exif_thumbnail: bytes | None = None,
) -> bytes:
    out = io.BytesIO()
    kwargs: dict = {"quality": quality}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
        if exif_thumbnail is not None:
            kwargs["exif"] = with_exif_thumbnail(kwargs["exif"], exif_thumbnail)
    if xmp is not None:
        kwargs["xmp"] = xmp.encode()
    picture(size, seed).save(out, "JPEG", **kwargs)
    return out.getvalue()


def with_exif_thumbnail(exif: bytes, thumbnail: bytes) -> bytes:
    """An EXIF block (as Exif.tobytes() makes it) with `thumbnail` as its IFD1 JPEG, as cameras do.

    Pillow reads IFD1 but does not write it: IFD0's next-IFD pointer is set
    to a new IFD1 holding JPEGInterchangeFormat and its length, with the
    thumbnail's bytes right after it.
    """
    assert exif[:6] == b"Exif\x00\x00"
    tiff = bytearray(exif[6:])
    e = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack_from(e + "I", tiff, 4)[0]
    entries = struct.unpack_from(e + "H", tiff, ifd0)[0]
    ifd1 = len(tiff)
    struct.pack_into(e + "I", tiff, ifd0 + 2 + 12 * entries, ifd1)
    data_at = ifd1 + 2 + 2 * 12 + 4
    tiff += struct.pack(e + "H", 2)
    tiff += struct.pack(e + "HHII", 0x0201, 4, 1, data_at)
    tiff += struct.pack(e + "HHII", 0x0202, 4, 1, len(thumbnail))
    tiff += struct.pack(e + "I", 0) + thumbnail
    return b"Exif\x00\x00" + bytes(tiff)


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


def heic_bytes(
    size: tuple[int, int] = (320, 240), seed: int = 0, thumbnails: tuple[int, ...] = ()
) -> bytes:
    """A HEIC photo; `thumbnails` embeds a preview per size (its longer side), as phones do."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    picture(size, seed).save(out, "HEIF", quality=60, thumbnails=list(thumbnails))
    return out.getvalue()


# -- hostile and rare files --------------------------------------------------------


def _ifd(entries: list[tuple[int, int, int, bytes]], next_ifd: int = 0) -> bytes:
    """A big-endian TIFF IFD: (tag, type, count, 4-byte value or offset) entries."""
    body = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        body += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")
    return body + struct.pack(">I", next_ifd)


def fanout_exif_jpeg(k: int = 2500, m: int = 2500, make: str = "FUJIFILM") -> bytes:
    """A JPEG whose ~60 KB EXIF block points K IFD0 entries at one IFD of M entries.

    A reader that follows every pointer does K×M work; the IFD0 also says
    who made the camera, so a bounded reader is seen to still read the rest.
    """
    make_raw = make.encode() + b"\x00"
    ifd0_at = 8
    ifd0_size = 2 + 12 * (1 + k) + 4
    make_at = ifd0_at + ifd0_size
    target_at = make_at + len(make_raw) + (len(make_raw) % 2)
    entries = [(0x010F, 2, len(make_raw), struct.pack(">I", make_at))]
    entries += [(0x8825, 4, 1, struct.pack(">I", target_at))] * k
    target = _ifd([(0x0005, 1, 1, b"\x00")] * m)  # GPSAltitudeRef, m times
    tiff = b"MM\x00\x2a" + struct.pack(">I", ifd0_at) + _ifd(entries)
    tiff += make_raw.ljust(target_at - make_at, b"\x00") + target
    return insert_segment(jpeg_bytes(seed=900), 0xE1, b"Exif\x00\x00" + tiff)


def gps_exif_jpeg(
    lat: tuple[float, float, float], lat_ref: str, lon: tuple[float, float, float], lon_ref: str
) -> bytes:
    """A JPEG with the GPS parts and references given as they are, sound or not."""
    exif = exif_block(gps=None)
    g = exif.get_ifd(IFD_GPS)
    g[1], g[3] = lat_ref, lon_ref
    g[2] = tuple(TiffImagePlugin.IFDRational(Fraction(v).limit_denominator(1000)) for v in lat)
    g[4] = tuple(TiffImagePlugin.IFDRational(Fraction(v).limit_denominator(1000)) for v in lon)
    return jpeg_bytes(seed=910, exif=exif)


def png_with_chunk(kind: bytes, payload: bytes, seed: int = 0) -> bytes:
    """A PNG carrying one more chunk (ancillary if `kind` starts lowercase) before IEND."""
    png = png_bytes(seed=seed)
    chunk = kind + payload
    extra = struct.pack(">I", len(payload)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return png[:-12] + extra + png[-12:]


def xmp_noise(size: int) -> bytes:
    """XMP-like noise: packet openings over and over, never a closing one."""
    unit = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF >'
    return (unit * (size // len(unit) + 1))[:size]


def zeros_png(width: int, height: int) -> bytes:
    """A small file that decodes to width×height RGBA pixels (4 bytes each) of zeros."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    squeeze = zlib.compressobj(1)
    row = bytes(1 + 4 * width)  # filter byte, then the pixels
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def bmp_bytes(size: tuple[int, int] = (64, 48), seed: int = 0) -> bytes:
    out = io.BytesIO()
    picture(size, seed).save(out, "BMP")
    return out.getvalue()
