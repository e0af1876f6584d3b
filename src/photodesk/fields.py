"""THE table of caption fields: one row per field, everything else derives from it.

The metadata readers (IPTC-IIM and XMP), the partner's notes, the CLI's
options, the search index, the IIM byte-limit warnings, the editor and the
exporters all read this table; none keeps a list of its own. Adding a field
is one row here plus a migration that adds its catalog column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["language", "photo", "place"]
# text: free text; list: keywords; choice: one of `choices`; date: a date phrase
# kept as taken_* columns; place: a reference to a named place in the gazetteer.
Type = Literal["text", "list", "choice", "date", "place"]
XmpKind = Literal["simple", "lang-alt", "seq", "bag", "struct"]

KINDS = ("photo", "map", "graphic")
STATUSES = ("new", "captioned", "checked")

XMP_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    # photodesk's own: the desk's date as it knows it (start, end, phrase), which IPTC's
    # date created cannot say; a host that is reserved never to exist, so no one else's.
    "photodesk": "http://ns.photodesk.invalid/xmp/1.0/",
}


@dataclass(frozen=True)
class Field:
    name: str  # the catalog column (captions or photos table; places for scope "place")
    label: str
    scope: Scope  # per caption language, once per photo, or a part of a named place
    type: Type = "text"
    iim: int | None = None  # IPTC-IIM record 2 dataset number
    iim_name: str | None = None  # its name in exiv2 (Iptc.Application2.<name>), for writing
    iim_limit: int | None = None  # bytes IIM holds (per keyword for lists)
    xmp: str | None = None  # "prefix:Property", prefix from XMP_NAMESPACES
    xmp_kind: XmpKind | None = None
    notes: tuple[str, ...] = ()  # column names accepted in a partner's notes
    cli: str | None = None  # option of `caption` (or `place add/edit` for place parts)
    help: str = ""
    search: str | None = None  # the search index column its text goes into
    choices: tuple[str, ...] = ()
    # A place part's member in the Iptc4xmpExt location structure (Location Created/Shown).
    xmp_location: str | None = None
    iptc_name: str | None = None  # its name in the IPTC Photo Metadata Standard (exports)

    @property
    def xmp_prefix(self) -> str | None:
        return self.xmp.split(":")[0] if self.xmp else None

    @property
    def xmp_property(self) -> str | None:
        return self.xmp.split(":")[1] if self.xmp else None


FIELDS: tuple[Field, ...] = (
    # Per photo and caption language.
    Field(
        "headline",
        "Headline",
        "language",
        iim=105,
        iim_name="Headline",
        iim_limit=256,
        xmp="photoshop:Headline",
        xmp_kind="simple",
        notes=("headline",),
        cli="--headline",
        help="Headline: a few words.",
        search="headline",
        iptc_name="Headline",
    ),
    Field(
        "title",
        "Title",
        "language",
        iim=5,
        iim_name="ObjectName",
        iim_limit=64,
        xmp="dc:title",
        xmp_kind="lang-alt",
        notes=("title",),
        cli="--title",
        help="Title (IPTC object name).",
        search="title",
        iptc_name="Title",
    ),
    Field(
        "description",
        "Caption",
        "language",
        iim=120,
        iim_name="Caption",
        iim_limit=2000,
        xmp="dc:description",
        xmp_kind="lang-alt",
        notes=("caption", "description"),
        cli="--caption",
        help="The caption (IPTC description).",
        search="description",
        iptc_name="Description",
    ),
    # Once per photo.
    Field(
        "credit",
        "Credit",
        "photo",
        iim=110,
        iim_name="Credit",
        iim_limit=32,
        xmp="photoshop:Credit",
        xmp_kind="simple",
        notes=("credit",),
        cli="--credit",
        help="Credit line.",
        search="credit",
        iptc_name="Credit Line",
    ),
    Field(
        "creator",
        "Creator",
        "photo",
        iim=80,
        iim_name="Byline",
        iim_limit=32,
        xmp="dc:creator",
        xmp_kind="seq",
        notes=("creator",),
        cli="--creator",
        help="Creator (by-line).",
        search="credit",
        iptc_name="Creator",
    ),
    Field(
        "creator_title",
        "Creator's title",
        "photo",
        iim=85,
        iim_name="BylineTitle",
        iim_limit=32,
        xmp="photoshop:AuthorsPosition",
        xmp_kind="simple",
        notes=("creator_title",),
        cli="--creator-title",
        help="Creator's job title.",
        iptc_name="Creator's Jobtitle",
    ),
    Field(
        "source",
        "Source",
        "photo",
        iim=115,
        iim_name="Source",
        iim_limit=32,
        xmp="photoshop:Source",
        xmp_kind="simple",
        notes=("source",),
        cli="--source",
        help="Source.",
        iptc_name="Source",
    ),
    # dc:rights is lang-alt in the spec but a single notice in practice.
    Field(
        "copyright",
        "Copyright",
        "photo",
        iim=116,
        iim_name="Copyright",
        iim_limit=128,
        xmp="dc:rights",
        xmp_kind="lang-alt",
        notes=("copyright",),
        cli="--copyright",
        help="Copyright notice.",
        iptc_name="Copyright Notice",
    ),
    Field(
        "job_id",
        "Job id",
        "photo",
        iim=103,
        iim_name="TransmissionReference",
        iim_limit=32,
        xmp="photoshop:TransmissionReference",
        xmp_kind="simple",
        notes=("job_id",),
        cli="--job-id",
        help="Job id (transmission reference).",
        iptc_name="Job Id",
    ),
    Field(
        "instructions",
        "Instructions",
        "photo",
        iim=40,
        iim_name="SpecialInstructions",
        iim_limit=256,
        xmp="photoshop:Instructions",
        xmp_kind="simple",
        notes=("instructions",),
        cli="--instructions",
        help="Special instructions.",
        iptc_name="Instructions",
    ),
    Field(
        "caption_writer",
        "Caption writer",
        "photo",
        iim=122,
        iim_name="Writer",
        iim_limit=32,
        xmp="photoshop:CaptionWriter",
        xmp_kind="simple",
        notes=("caption_writer",),
        cli="--caption-writer",
        help="Caption writer.",
        iptc_name="Description Writer",
    ),
    Field(
        "keywords",
        "Keywords",
        "photo",
        type="list",
        iim=25,
        iim_name="Keywords",
        iim_limit=64,
        xmp="dc:subject",
        xmp_kind="bag",
        notes=("keywords",),
        cli="--keywords",
        help="Comma-separated keywords (replaces the list; '' clears).",
        search="keywords",
        iptc_name="Keywords",
    ),
    Field(
        "kind",
        "Kind",
        "photo",
        type="choice",
        choices=KINDS,
        notes=("kind",),
        cli="--kind",
        help="What the image is.",
    ),
    Field(
        "status",
        "Status",
        "photo",
        type="choice",
        choices=STATUSES,
        cli="--status",
        help="How far the caption has got.",
    ),
    Field(
        "date",
        "Date",
        "photo",
        type="date",
        iim=55,
        iim_name="DateCreated",
        iim_limit=8,
        xmp="photoshop:DateCreated",
        xmp_kind="simple",
        notes=("date", "date_text", "taken"),
        cli="--date",
        help='When taken: "2023-07-28", "late July 2023", "circa 2019"…',
        iptc_name="Date Created",
    ),
    Field(
        "created_place",
        "Location created",
        "photo",
        type="place",
        xmp="Iptc4xmpExt:LocationCreated",
        xmp_kind="struct",
        notes=("place", "created_place", "location"),
        cli="--created",
        help="Place where the camera stood.",
        search="places",
        iptc_name="Location Created",
    ),
    Field(
        "shown_place",
        "Location shown",
        "photo",
        type="place",
        xmp="Iptc4xmpExt:LocationShown",
        xmp_kind="struct",
        notes=("shown_place",),
        cli="--shown",
        help="Place the frame shows.",
        search="places",
        iptc_name="Location Shown",
    ),
    # Parts of a named place (IPTC location hierarchy), kept in the gazetteer.
    Field(
        "sublocation",
        "Sublocation",
        "place",
        iim=92,
        iim_name="SubLocation",
        iim_limit=32,
        xmp="Iptc4xmpCore:Location",
        xmp_kind="simple",
        cli="--sublocation",
        help="Sublocation (a building, a bridge).",
        search="places",
        iptc_name="Sublocation",
        xmp_location="Sublocation",
    ),
    Field(
        "city",
        "City",
        "place",
        iim=90,
        iim_name="City",
        iim_limit=32,
        xmp="photoshop:City",
        xmp_kind="simple",
        cli="--city",
        help="City.",
        search="places",
        iptc_name="City",
        xmp_location="City",
    ),
    Field(
        "province",
        "Province/State",
        "place",
        iim=95,
        iim_name="ProvinceState",
        iim_limit=32,
        xmp="photoshop:State",
        xmp_kind="simple",
        cli="--province",
        help="Province or state.",
        search="places",
        iptc_name="Province/State",
        xmp_location="ProvinceState",
    ),
    Field(
        "country",
        "Country",
        "place",
        iim=101,
        iim_name="CountryName",
        iim_limit=64,
        xmp="photoshop:Country",
        xmp_kind="simple",
        cli="--country",
        help="Country name.",
        search="places",
        iptc_name="Country",
        xmp_location="CountryName",
    ),
    Field(
        "country_code",
        "Country code",
        "place",
        iim=100,
        iim_name="CountryCode",
        iim_limit=3,
        xmp="Iptc4xmpCore:CountryCode",
        xmp_kind="simple",
        cli="--code",
        help="ISO 3166 country code (CN, KP).",
        iptc_name="Country Code",
        xmp_location="CountryCode",
    ),
)

BY_NAME = {f.name: f for f in FIELDS}

# The search index's columns, in the order the index holds them, each with its
# weight in ranking. Fields name the column their text goes into (above); the
# file name is a file fact, not a caption field.
SEARCH_COLUMNS = {
    "headline": 8.0,
    "title": 4.0,
    "description": 5.0,
    "keywords": 3.0,
    "places": 2.0,
    "file_name": 1.0,
    "credit": 1.0,
}


def field(name: str) -> Field:
    return BY_NAME[name]


def where(
    scope: Scope | None = None, type: Type | None = None, has: str | None = None
) -> tuple[Field, ...]:
    """The fields of one scope and/or type, or having one attribute set (`has="iim"`)."""
    return tuple(
        f
        for f in FIELDS
        if (scope is None or f.scope == scope)
        and (type is None or f.type == type)
        and (has is None or getattr(f, has))
    )


# The groups most code asks for, in table order.
PER_LANGUAGE = tuple(f.name for f in where(scope="language"))
PER_PHOTO_TEXT = tuple(f.name for f in where(scope="photo", type="text"))
PLACE_PARTS = tuple(f.name for f in where(scope="place"))
EDITABLE = tuple(f.name for f in FIELDS if f.scope != "place")
