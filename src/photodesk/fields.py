"""The caption fields photodesk keeps, named once for the readers, the editor and the notes."""

# Per photo and language (BCP 47): IPTC Headline, Title (object name), Description.
PER_LANGUAGE = ("headline", "title", "description")

# Once per photo: IPTC Creator, Creator's title, Credit, Source, Copyright,
# Job id (transmission reference), Instructions, Caption writer.
PER_PHOTO_TEXT = (
    "creator",
    "creator_title",
    "credit",
    "source",
    "copyright",
    "job_id",
    "instructions",
    "caption_writer",
)

KINDS = ("photo", "map", "graphic")
STATUSES = ("new", "captioned", "checked")
