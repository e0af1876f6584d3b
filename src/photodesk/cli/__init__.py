"""The `photodesk` command line: a thin shell over the headless core."""

from photodesk.cli.main import main

__all__ = ["main"]
