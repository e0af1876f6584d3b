"""The diptych: two photos at one height with a white gutter, date labels, a clean JPEG."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from imagegen import IFD_GPS, exif_block, jpeg_bytes, png_bomb, write
from photodesk.errors import PhotodeskError
from photodesk.metadata import read_metadata
from photodesk.pairs.diptych import (
    FONT_DIRS_ENV,
    DiptychError,
    Side,
    compose,
    find_font,
    save,
)

WIDTH = 1200
GUTTER = 12  # 1% of 1200
RED, BLUE = (200, 30, 30), (30, 30, 200)
KOREAN, JAPANESE, KANA = "2019년 9월", "2023年7月下旬", "2019年ごろ"


@pytest.fixture
def before(tmp_path) -> Path:
    """Landscape 4:3, red over blue, and the partner's GPS in its EXIF."""
    return write(tmp_path / "before.jpg", jpeg_bytes((640, 480), exif=exif_block(serial="SN1")))


@pytest.fixture
def after(tmp_path) -> Path:
    """Stored as 400×300 red over blue, EXIF orientation 6: upright it is 300×400, blue | red."""
    exif = exif_block(gps=None, orientation=6)
    return write(tmp_path / "after.jpg", jpeg_bytes((400, 300), seed=3, exif=exif))


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def _expected_layout(width: int = WIDTH) -> tuple[int, int, int]:
    """Height and the two widths: 4:3 beside 3:4 at one height, filling width minus gutter."""
    room = width - GUTTER
    height = round(room / (640 / 480 + 300 / 400))
    left = round(640 / 480 * height)
    return height, left, room - left


def _cjk_font(text: str) -> Path:
    try:
        return find_font(text)
    except DiptychError as exc:
        pytest.skip(f"no CJK font installed (Debian: fonts-noto-cjk): {exc}")


# -- geometry -------------------------------------------------------------------------


def test_both_photos_at_one_height_fill_the_width(before, after):
    image = compose(Side(before, None), Side(after, None), width=WIDTH)
    height, left, right = _expected_layout()
    assert image.mode == "RGB"
    assert image.size == (WIDTH, height)
    assert left + GUTTER + right == WIDTH
    assert abs(right / height - 300 / 400) < 0.01  # the rotated photo keeps its aspect


def test_each_photo_is_where_it_belongs_and_upright(before, after):
    image = compose(Side(before, None), Side(after, None), width=WIDTH)
    height, left, right = _expected_layout()
    # Before: red over blue, as stored.
    assert _near(image.getpixel((left // 2, height // 4)), RED)
    assert _near(image.getpixel((left // 2, height * 3 // 4)), BLUE)
    # After: orientation 6 turns the stored top (red) to the right side.
    x = left + GUTTER
    assert _near(image.getpixel((x + right // 8, height * 3 // 4)), BLUE)
    assert _near(image.getpixel((x + right * 7 // 8, height * 3 // 4)), RED)


def test_the_gutter_is_white_from_top_to_bottom(before, after):
    image = compose(Side(before, None), Side(after, None), width=WIDTH)
    height, left, _ = _expected_layout()
    gutter = image.crop((left, 0, left + GUTTER, height))
    assert gutter.getcolors() == [(GUTTER * height, (255, 255, 255))]
    # And the photos reach it: no white border of their own.
    assert image.getpixel((left - 1, height // 4)) != (255, 255, 255)
    assert image.getpixel((left + GUTTER, height // 4)) != (255, 255, 255)


def test_a_narrow_width_keeps_the_minimum_gutter(before, after):
    image = compose(Side(before, None), Side(after, None), width=400)
    assert image.width == 400
    row = [image.getpixel((x, image.height // 2)) for x in range(400)]
    assert row.count((255, 255, 255)) == 8


def test_a_width_too_small_is_refused(before, after):
    with pytest.raises(DiptychError, match="at least"):
        compose(Side(before, None), Side(after, None), width=20)


# -- labels ---------------------------------------------------------------------------


def _label_changes(image: Image.Image, plain: Image.Image) -> list[tuple[int, int, int, int]]:
    """Where each photo changed: its bounding box of differing pixels, in its own coordinates."""
    height, left, _ = _expected_layout()
    diff = ImageChops.difference(image, plain).convert("L").point(lambda v: 255 if v else 0)
    boxes = []
    for x0, x1 in ((0, left), (left + GUTTER, WIDTH)):
        box = diff.crop((x0, 0, x1, height)).getbbox()
        assert box is not None, "no label drawn"
        boxes.append(box)
    assert diff.crop((left, 0, left + GUTTER, height)).getbbox() is None  # gutter untouched
    return boxes


def test_labels_are_drawn_in_the_lower_left_corner_and_nowhere_else(before, after):
    plain = compose(Side(before, None), Side(after, None), width=WIDTH)
    labelled = compose(Side(before, "September 2019"), Side(after, "July 2023"), width=WIDTH)
    height, left, right = _expected_layout()
    for (x0, y0, x1, y1), w in zip(_label_changes(labelled, plain), (left, right), strict=True):
        assert x0 < w * 0.1 and x1 < w * 0.9  # starts at the left edge, stops well short
        assert y1 > height * 0.95 and y0 > height * 0.75  # sits at the bottom
        box_height = y1 - y0
        assert height / 20 <= box_height <= height / 6  # text about 1/20 of the height


def test_the_label_box_is_dark_with_white_text(before, after):
    image = compose(Side(before, "September 2019"), Side(after, None), width=WIDTH)
    height, left, _ = _expected_layout()
    corner = image.crop((0, int(height * 0.8), left // 2, height))
    colours = {colour for _, colour in corner.getcolors(corner.width * corner.height)}
    assert any(min(c) > 230 for c in colours)  # the text
    assert any(max(c) < 80 for c in colours)  # the box over the blue half


def test_a_label_too_long_for_its_photo_stays_inside_it(before, after):
    plain = compose(Side(before, None), Side(after, None), width=WIDTH)
    long = "between September 2019 and the end of October 2019, roughly"
    labelled = compose(Side(before, None), Side(after, long), width=WIDTH)
    _, left, _ = _expected_layout()
    diff = ImageChops.difference(labelled, plain).getbbox()
    assert diff is not None and diff[0] >= left + GUTTER


def _glyph(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    im = Image.new("L", (60, 60))
    ImageDraw.Draw(im).text((5, 5), ch, font=font, fill=255)
    return im.tobytes()


@pytest.mark.parametrize("label", [KOREAN, JAPANESE, KANA])
def test_korean_and_japanese_labels_are_drawn_with_a_cjk_font(before, after, label):
    font_path = _cjk_font(label)
    assert font_path is not None
    font = ImageFont.truetype(str(font_path), 40)
    # A font without these glyphs draws the same empty box for every character.
    wide = {ch for ch in label if not ch.isascii()}
    assert len({_glyph(font, ch) for ch in wide}) == len(wide)
    plain = compose(Side(before, None), Side(after, None), width=WIDTH)
    labelled = compose(Side(before, label), Side(after, label), width=WIDTH)
    _label_changes(labelled, plain)


def test_latin_labels_use_dejavu_or_the_built_in_font():
    found = find_font("September 2019")
    assert found is None or found.name == "DejaVuSans.ttf"


def test_font_dirs_replace_the_system_folders(tmp_path, monkeypatch):
    system = _cjk_font(KOREAN)
    mine = tmp_path / "fonts" / "sub"
    mine.mkdir(parents=True)
    (mine / system.name).symlink_to(system)
    monkeypatch.setenv(FONT_DIRS_ENV, str(tmp_path / "fonts"))
    assert find_font(KOREAN) == mine / system.name


def test_no_cjk_font_names_what_is_missing(tmp_path, monkeypatch, before, after):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv(FONT_DIRS_ENV, str(empty))
    with pytest.raises(DiptychError) as info:
        compose(Side(before, "September 2019"), Side(after, KOREAN), width=WIDTH)
    message = str(info.value)
    assert KOREAN in message and "Korean (Hangul)" in message
    assert "Noto Sans CJK" in message and "fonts-noto-cjk" in message
    assert str(empty) in message and "\n" not in message
    with pytest.raises(DiptychError, match=r"Japanese \(kana\) glyphs"):
        find_font(KANA)
    with pytest.raises(DiptychError, match="CJK ideograph glyphs"):
        find_font(JAPANESE)
    # Latin text still has Pillow's built-in font.
    assert find_font("September 2019") is None
    image = compose(Side(before, "September 2019"), Side(after, None), width=WIDTH)
    assert image.width == WIDTH


def test_an_explicit_font_wins_and_must_exist(tmp_path, before, after):
    system = _cjk_font(KOREAN)
    assert find_font("September 2019", explicit=system) == system
    with pytest.raises(DiptychError, match="does not exist"):
        find_font(KOREAN, explicit=tmp_path / "missing.ttf")
    with pytest.raises(DiptychError, match="does not exist"):
        compose(Side(before, KOREAN), Side(after, None), font=tmp_path / "missing.ttf")


# -- inputs ---------------------------------------------------------------------------


def test_a_12_megapixel_original_composes(tmp_path, after):
    big = write(tmp_path / "big.jpg", jpeg_bytes((4000, 3000), quality=70))
    image = compose(Side(big, "July 2023"), Side(after, "September 2019"), width=WIDTH)
    assert image.size == (WIDTH, _expected_layout()[0])


@pytest.mark.parametrize("mode", ["L", "CMYK", "RGBA", "P"])
def test_any_image_mode_gives_rgb(tmp_path, before, mode):
    im = Image.new("RGB", (300, 200), RED).convert(mode)
    path = tmp_path / f"other.{'png' if mode in ('RGBA', 'P') else 'jpg'}"
    im.save(path)
    assert compose(Side(before, None), Side(path, None), width=600).mode == "RGB"


def test_a_decompression_bomb_is_refused(tmp_path, before):
    bomb = write(tmp_path / "bomb.png", png_bomb())
    with pytest.raises(DiptychError, match=r"bomb\.png is refused"):
        compose(Side(before, None), Side(bomb, None))


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("gone.jpg", None, "does not exist"),
        ("notes.jpg", b"caption: the bridge", "not an image"),
        ("cut.jpg", jpeg_bytes((640, 480))[:1500], "not an image"),
    ],
)
def test_unreadable_photos_give_one_line_errors(tmp_path, before, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PhotodeskError) as info:
        compose(Side(before, None), Side(path, None), width=WIDTH)
    assert words in str(info.value) and name in str(info.value)
    assert "\n" not in str(info.value)


# -- the saved file -------------------------------------------------------------------


def _read(path: Path, default_lang: str):
    data = path.read_bytes()
    return read_metadata(data, Image.open(io.BytesIO(data)), None, default_lang)


def test_saved_captions_read_back_in_their_language(tmp_path, before, after):
    image = compose(Side(before, "September 2019"), Side(after, "July 2023"), width=WIDTH)
    out = tmp_path / "fence.jpg"
    caption = "(왼쪽) 2019년 9월 철조망 (오른쪽) 2023년 7월 이중 울타리"
    warnings = save(image, out, caption, "국경 울타리", "ko", credit="Agency")
    assert warnings == []
    with Image.open(out) as saved:
        assert saved.format == "JPEG" and saved.size == image.size
    meta = _read(out, "en")
    assert meta.captions["ko"]["description"] == caption
    meta = _read(out, "ko")
    assert meta.captions["ko"] == {"description": caption, "headline": "국경 울타리"}
    assert meta.fields["credit"] == "Agency"


def test_the_saved_file_carries_nothing_of_the_originals(tmp_path, before):
    with Image.open(before) as original:
        assert original.getexif().get_ifd(IFD_GPS)  # the partner's position is there
        original.info["comment"] = b"shot by K. from the roof of the customs house"
        out = tmp_path / "d.jpg"
        save(original, out, "Fence", None, "en")  # even an opened original, passed as is
    with Image.open(out) as saved:
        exif = saved.getexif()
        assert len(exif) == 0 and not exif.get_ifd(IFD_GPS)
        assert "comment" not in saved.info
    assert _read(out, "en").exif.serial is None


def test_iim_warnings_come_back_from_save(tmp_path, before, after):
    image = compose(Side(before, None), Side(after, None), width=400)
    warnings = save(
        image, tmp_path / "d.jpeg", "Fence", None, "en", credit="국경 사진 협동조합 통신사"
    )
    assert len(warnings) == 1 and warnings[0].startswith("credit")


@pytest.mark.parametrize("name", ["d.png", "d.tif", "d"])
def test_save_refuses_anything_but_jpeg(tmp_path, before, after, name):
    image = compose(Side(before, None), Side(after, None), width=400)
    with pytest.raises(DiptychError, match=r"\.jpg or \.jpeg"):
        save(image, tmp_path / name, "Fence", None, "en")
    assert not (tmp_path / name).exists()


def test_an_explicit_font_that_cannot_draw_the_label_is_refused():
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans (Debian fonts-dejavu-core) is not installed")
    with pytest.raises(DiptychError, match="cannot draw '년월'"):
        find_font("2019년 9월", dejavu)
    assert find_font("September 2019", dejavu) == dejavu


def test_a_missing_output_folder_is_refused_not_made(tmp_path):
    image = Image.new("RGB", (40, 20), "white")
    with pytest.raises(DiptychError, match="there is no folder"):
        save(image, tmp_path / "typo" / "fence.jpg", "c", "h", "en")
    assert not (tmp_path / "typo").exists()
