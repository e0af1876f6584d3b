"""Errors the shells turn into one-line messages for the user."""


class PhotodeskError(Exception):
    """A user-facing failure: its message is one line and says what to do."""
