"""Every command is documented: a help text, and a mention in the README."""

import click
import pytest

from conftest import REPO
from photodesk.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name, command", list(_commands(main)), ids=lambda x: str(x))
def test_command_has_help(name, command):
    assert (command.help or command.short_help or "").strip(), f"photodesk {name} has no help"


@pytest.mark.parametrize("name", [n for n, c in _commands(main) if " " not in n])
def test_command_is_in_the_readme(name):
    assert f"photodesk {name}" in README or f"photodesk [--archive DIR] {name}" in README
