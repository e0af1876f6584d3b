"""Errors the shells turn into one-line messages for the user."""


class PhotodeskError(Exception):
    """A user-facing failure: its message is one line and says what to do."""


class UsageMistake(PhotodeskError):
    """What the user typed names nothing, or means nothing: a usage error (the CLI exits 2).

    An unknown story or place name, a language tag that is none, an id range
    that runs backwards. Its message says what to type instead.
    """
