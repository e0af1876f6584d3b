"""The headless core must never pull in the UI or CLI frameworks."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import photodesk

PACKAGE = Path(photodesk.__file__).parent
SHELLS = {"cli", "tui"}

CORE = [
    "photodesk.catalog",
    "photodesk.catalog.photos",
    "photodesk.catalog.imports",
    "photodesk.catalog.edits",
    "photodesk.catalog.search",
    "photodesk.catalog.places",
    "photodesk.catalog.stories",
    "photodesk.config",
    "photodesk.dates",
    "photodesk.importer",
    "photodesk.metadata",
    "photodesk.notes",
    "photodesk.reader",
    "photodesk.sniff",
    "photodesk.thumbnails",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module):
    code = (
        f"import sys, {module}; "
        # click is absent from this list because sqlite-utils imports it itself;
        # the static test below keeps our own core code free of it.
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


def test_import_has_no_side_effects(tmp_path):
    """Importing the package must not create an archive or open a database."""
    code = "import photodesk.cli, photodesk.importer, photodesk.catalog"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    assert list(tmp_path.iterdir()) == []


def _core_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] not in SHELLS:
            yield path


@pytest.mark.parametrize("path", list(_core_files()), ids=lambda p: p.name)
def test_core_source_never_names_ui_frameworks(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in {"textual", "click", "rich"}, f"{path}: {name}"
