"""The house rules, checked on the code itself."""

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What git would commit: tracked files plus new ones that are not ignored.
FILES = sorted(
    ROOT / name
    for name in subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    if (ROOT / name).is_file()
)
SOURCES = [p for p in FILES if p.suffix == ".py"]


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def uses(path: Path, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in imports_of(path))


def may_import_streamlit(path: Path) -> bool:
    name = rel(path)
    return name == "app.py" or name.startswith(
        ("pages/", "sprintsync/ui/", "tests/", "benchmarks/")
    )


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_only_the_ui_imports_streamlit(path):
    if not may_import_streamlit(path):
        assert not uses(path, "streamlit"), f"{rel(path)} imports streamlit"


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in SOURCES
        if rel(p) == "app.py" or rel(p).startswith(("pages/", "sprintsync/cli/", "sprintsync/ui/"))
    ],
    ids=rel,
)
def test_pages_and_the_cli_never_touch_the_database_directly(path):
    forbidden = ["sqlalchemy", "sprintsync.models", "psycopg"]
    if rel(path) != "sprintsync/cli/database.py":  # `sprintsync db` is about migrations
        forbidden.append("sprintsync.db")
    for package in forbidden:
        assert not uses(path, package), f"{rel(path)} imports {package}"
    assert "from sprintsync import db" not in path.read_text() or rel(path).endswith(
        "cli/database.py"
    )


@pytest.mark.parametrize("path", [p for p in SOURCES if rel(p).startswith("sprintsync/")], ids=rel)
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= 400, f"{rel(path)} is over 400 lines"


def test_every_page_is_registered_in_the_navigation():
    from sprintsync.ui.navigation import APP_PAGES, SIGN_IN, SIGN_UP

    pages = sorted(rel(p) for p in (ROOT / "pages").glob("*.py"))
    registered = sorted(spec.path for spec in (SIGN_IN, SIGN_UP, *APP_PAGES))
    assert pages == registered, "pages/ and sprintsync/ui/navigation.py disagree"


def test_the_deprecated_gemini_sdk_is_not_used():
    for path in [*SOURCES, ROOT / "pyproject.toml"]:
        assert not re.search(r"google[.-]generativeai", path.read_text()), rel(path)


def test_no_secrets_are_committed():
    pattern = re.compile(r"(AIza[0-9A-Za-z_-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----)")
    for path in FILES:
        try:
            content = path.read_text()
        except UnicodeDecodeError:
            continue
        assert not pattern.search(content), f"{rel(path)} looks like it holds a secret"
