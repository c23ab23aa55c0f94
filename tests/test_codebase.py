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
        ("app_pages/", "sprintsync/ui/", "tests/", "benchmarks/")
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
        if rel(p) == "app.py"
        or rel(p).startswith(("app_pages/", "sprintsync/cli/", "sprintsync/ui/", "sprintsync/api/"))
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
    from sprintsync.ui.navigation import APP_PAGES, CHOOSE_PASSWORD, SIGN_IN, SIGN_UP

    pages = sorted(rel(p) for p in (ROOT / "app_pages").glob("*.py"))
    registered = sorted(spec.path for spec in (SIGN_IN, SIGN_UP, CHOOSE_PASSWORD, *APP_PAGES))
    assert pages == registered, "app_pages/ and sprintsync/ui/navigation.py disagree"


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


PAGE_NAMES = sorted((p.stem for p in (ROOT / "app_pages").glob("*.py")), key=len, reverse=True)


def _page_of_part(part: str) -> str | None:
    """The page a module of sprintsync/ui/parts belongs to: parts/<page>.py or
    parts/<page>_<what>.py."""
    return next((p for p in PAGE_NAMES if part == p or part.startswith(p + "_")), None)


def _parts_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module == "sprintsync.ui.parts":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "sprintsync.ui.parts."
        ):
            found.add(node.module.removeprefix("sprintsync.ui.parts."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("sprintsync.ui.parts.")
                for a in node.names
                if a.name.startswith("sprintsync.ui.parts.")
            )
    return found


def test_every_module_of_ui_parts_belongs_to_one_page():
    parts = [p.stem for p in (ROOT / "sprintsync/ui/parts").glob("*.py") if p.stem != "__init__"]
    assert parts
    for part in parts:
        assert _page_of_part(part), f"sprintsync/ui/parts/{part}.py is named after no page"


@pytest.mark.parametrize("path", [p for p in SOURCES if not rel(p).startswith("tests/")], ids=rel)
def test_a_pages_parts_are_imported_by_that_page_alone(path):
    """The layout in docs/ARCHITECTURE.md: what two pages (or app.py) share lives in
    sprintsync/ui/ itself; a page's own widgets in sprintsync/ui/parts/<page>*.py."""
    name = rel(path)
    for part in _parts_imported(path):
        owner = _page_of_part(part)
        if name.startswith("app_pages/"):
            assert owner == path.stem, f"{name} uses {part}, which belongs to {owner}"
        elif name.startswith("sprintsync/ui/parts/"):
            assert owner == _page_of_part(path.stem), f"{name} uses another page's {part}"
        else:
            raise AssertionError(f"{name} imports the page part {part}: share it in sprintsync/ui")


@pytest.mark.parametrize("path", sorted((ROOT / "app_pages").glob("*.py")), ids=rel)
def test_pages_stay_thin(path):
    # A page reads its inputs, calls its services and draws its parts (STYLE.md: about 40
    # lines is a good sign); anything longer belongs in its parts.
    assert len(path.read_text().splitlines()) <= 45, f"{rel(path)}: move widgets to its parts"
