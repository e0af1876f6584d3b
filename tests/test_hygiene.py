"""The layers hold: the core never pulls in a UI framework, and only the catalog speaks SQL.

import-linter contracts in pyproject.toml state the rules; these tests run
them, show that a bad import breaks them, and check what import-linter cannot
see (what a module drags into `sys.modules`, SQL written outside the catalog).
"""

import ast
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import photodesk
from conftest import REPO

PACKAGE = Path(photodesk.__file__).parent
SHELLS = {"cli", "tui", "__main__"}
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _modules() -> list[str]:
    """Every module of the package, found by walking it: a new one cannot escape the checks."""
    found = ["photodesk"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="photodesk."):
        found.append(info.name)
    return sorted(found)


CORE = [m for m in _modules() if not set(m.split(".")[1:2]) & SHELLS]


def test_the_walk_finds_the_whole_core():
    assert {"photodesk.fields", "photodesk.catalog.edits", "photodesk.ingest.worker"} <= set(CORE)
    assert not [m for m in CORE if m.startswith(("photodesk.cli", "photodesk.tui"))]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module):
    code = (
        f"import sys, {module}; "
        # click is absent from this list because sqlite-utils imports it itself;
        # the contracts and the static test below keep our own core free of it.
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


def test_import_has_no_side_effects(tmp_path):
    """Importing the package must not create an archive or open a database."""
    code = "import " + ", ".join(m for m in _modules() if m != "photodesk.__main__")
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    assert list(tmp_path.iterdir()) == []


def _core_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] not in SHELLS and rel.stem != "__main__":
            yield path


@pytest.mark.parametrize("path", list(_core_files()), ids=lambda p: str(p.relative_to(PACKAGE)))
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


def _sql_outside_catalog(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"execute", "executemany", "executescript", "query"}
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(")
        if isinstance(node, ast.Subscript):
            target = node.value
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if name == "db":
                found.append(f"line {node.lineno}: db[")
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "catalog"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_sql_outside_the_catalog(path):
    assert _sql_outside_catalog(path.read_text()) == []


def test_the_sql_check_sees_sql():
    source = 'db["photos"].get(1)\ncatalog.db.execute("SELECT 1")\nx.query("q")\n'
    assert len(_sql_outside_catalog(source)) == 3


def _lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _contract(name: str) -> dict:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    (found,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == name]
    return found


def test_the_contracts_name_every_module():
    """A new top-level module or package must be placed in the contracts, not slip past them."""
    top = {m.split(".")[1] for m in _modules() if m.count(".") >= 1}
    sql_free = {m.split(".")[1] for m in _contract("Only the catalog speaks SQL")["source_modules"]}
    assert sql_free == top - {"catalog"}
    no_ui = _contract("The headless core never imports a UI framework")["source_modules"]
    assert {m.split(".")[1] for m in no_ui} == top - SHELLS


def test_import_contracts_are_kept():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, bad_import, contract",
    [
        ("fields.py", "import click", "The headless core never imports a UI framework"),
        ("metadata/exif.py", "import rich", "The headless core never imports a UI framework"),
        ("cli/output.py", "import sqlite3", "Only the catalog speaks SQL"),
        ("ingest/store.py", "import sqlite_utils", "Only the catalog speaks SQL"),
        ("catalog/photos.py", "import photodesk.ingest", "Layers"),
        ("fields.py", "import photodesk.catalog", "Layers"),
        ("cli/search.py", "from photodesk.catalog.tx import write", "The shells leave"),
    ],
)
def test_a_bad_import_breaks_a_contract(tmp_path, module, bad_import, contract):
    """The contracts can fail: the same code plus one forbidden import is refused."""
    copy = tmp_path / "src" / "photodesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text() + f"\n{bad_import}\n")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"}
    result = _lint_imports(tmp_path, env)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
