"""photodesk: a keyboard-driven photo archive and caption manager for a photo desk."""

__version__ = "0.1.0"
