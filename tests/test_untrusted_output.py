"""Untrusted text never reaches the terminal raw: error messages, option values, JSON output.

Every error the CLI prints passes through one handler (cli.main._Desk), so
these cases stand for the whole class: whatever a message quotes (an
--archive path, a notes or codes file name, a bad option value), its
escape sequences arrive as visible text.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from photodesk.catalog import Catalog, photos
from photodesk.cli import main
from photodesk.cli.output import emit_json

OSC = "\x1b]0;pwned\x07"
CSI = "\x1b[2J"
C1 = "\x9b31m"
BIDI = "\u202e"


def _invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def _inert(text: str) -> None:
    for raw in ("\x1b", "\x07", "\x9b", BIDI):
        assert raw not in text, repr(text)


@pytest.mark.parametrize(
    "args",
    [
        ("--archive", f"/tmp/no{OSC}where", "list"),
        ("import", f"/tmp/missing{CSI}folder"),
        ("import", ".", "--captions", f"notes{CSI}{C1}.csv"),
        ("codes", "import", f"codes{OSC}.csv"),
        ("list", "--since", f"late Julyish{CSI}"),
        ("search", f"fence{BIDI}", "--kind", f"x{OSC}"),
        ("show", f"1{CSI}"),
    ],
)
def test_error_messages_show_escapes_as_text(args, tmp_path):
    result = _invoke(*args)
    assert result.exit_code != 0
    assert "Error" in result.output
    _inert(result.output)
    assert "\\x1b" in result.output or "\\u202e" in result.output or "\\x9b" in result.output


def test_a_core_error_quoting_user_text_is_inert(archive, run):
    with Catalog.open(archive):
        pass
    result = run("story", "show", f"s{OSC}", ok=False)
    assert "\\x1b]0;pwned\\x07" in result.output
    _inert(result.output)


def test_json_output_escapes_c1_controls_and_bidi_overrides(capsys):
    emit_json({"caption": f"a{BIDI}b{C1}c\x1bd", "n": float("nan"), "m": [float("inf")]})
    out = capsys.readouterr().out
    _inert(out)
    data = json.loads(out)  # strict JSON: no NaN or Infinity
    assert data == {"caption": f"a{BIDI}b{C1}c\x1bd", "n": None, "m": [None]}


def test_json_listing_of_a_hostile_caption_is_inert(archive, run):
    with Catalog.open(archive) as catalog:
        photo, _ = photos.add(catalog.db, {"sha256": "b" * 64, "file_name": "a.jpg"})
        photos.set_caption(catalog.db, photo, "en", {"description": f"x{BIDI}{C1}{OSC}y"})
    result = run("show", str(photo), "--json")
    _inert(result.output)
    assert json.loads(result.output)["captions"]["en"]["description"] == f"x{BIDI}{C1}{OSC}y"


def test_the_top_command_escapes_any_message_a_command_raises():
    """The one handler: a message built from raw text anywhere below still arrives inert."""
    import click

    from photodesk.cli.main import _Desk

    @click.group(cls=_Desk)
    def top() -> None:
        pass

    @top.command()
    @click.argument("name")
    def fail(name: str) -> None:
        raise click.ClickException(f"cannot read {name}")

    result = CliRunner().invoke(top, ["fail", f"notes{OSC}{BIDI}.csv"])
    assert result.exit_code == 1
    assert result.output == "Error: cannot read notes\\x1b]0;pwned\\x07\\u202e.csv\n"
