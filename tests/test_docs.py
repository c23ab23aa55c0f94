"""The docs say what the code does: links, commands, metrics, messages and counts they quote
are checked against the code, so they cannot drift unnoticed (sqlite-utils' test_docs shape)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from sprintsync import metrics
from sprintsync.cli.app import cli
from sprintsync.services import auth

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_points_at_a_file_in_the_repository(doc):
    for target in LINK.findall(_text(doc)):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL or an anchor on the same page
        resolved = (doc.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{doc.name} links outside the repository: {target}"
        assert resolved.exists(), f"{doc.name} links to a missing file: {target}"


PATH_MENTION = re.compile(r"(?<![\w/])((?:\.\./)+[\w./-]+)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_doc_points_at_a_path_outside_the_repository(doc):
    """A reader of a clone has nothing outside it: a path there is a dead end."""
    for path in PATH_MENTION.findall(_text(doc)):
        resolved = (doc.parent / path).resolve()
        assert resolved.is_relative_to(ROOT), f"{doc.name} names {path}, outside the repository"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, command in group.commands.items():
        found.add((*prefix, name))
        if isinstance(command, click.Group):
            found |= _commands(command, (*prefix, name))
    return found


COMMANDS = _commands(cli)
# `sprintsync` followed by words in a code span or block: a command someone may copy.
MENTION = re.compile(r"(?:`|^\s*(?:\$ )?)sprintsync((?: [a-z][a-z-]*)+)", re.MULTILINE)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_the_docs_show_exists(doc):
    for words in MENTION.findall(_text(doc)):
        parts = tuple(words.split())
        # The longest prefix that names a command; the rest are its arguments.
        known = [parts[:n] for n in range(len(parts), 0, -1) if parts[:n] in COMMANDS]
        assert known, f"{doc.name} shows `sprintsync{words}`, which is no command"


METRIC = re.compile(r"\bsprintsync_[a-z_]+\b")


def _exported() -> set[str]:
    names = set()
    for family in metrics.REGISTRY.collect():
        suffixes = {"counter": ("_total",), "histogram": ("", "_bucket", "_sum", "_count")}
        for suffix in suffixes.get(family.type, ("",)):
            names.add(family.name + suffix)
    return names


def test_every_metric_the_operations_guide_names_is_exported_and_every_one_is_named():
    named = set(METRIC.findall(_text(ROOT / "docs/OPERATIONS.md")))
    exported = _exported()
    assert named - exported == set(), "named in docs/OPERATIONS.md but not exported"
    families = {
        f.name + ("_total" if f.type == "counter" else "") for f in metrics.REGISTRY.collect()
    }
    assert families - named == set(), "exported but not documented in docs/OPERATIONS.md"


def test_the_sign_in_guide_quotes_every_refusal_as_the_service_words_it():
    guide = _text(ROOT / "docs/sign-in.md")
    for message in (auth.INVALID, auth.LOCKED, auth.DEACTIVATED):
        assert message in guide


def test_the_security_guide_counts_the_permission_matrix_rows_it_has():
    from tests.hardening.permission_rows import OPERATIONS

    stated = re.findall(r"\((\d+) rows\)", _text(ROOT / "docs/SECURITY.md"))
    assert stated == [str(len(OPERATIONS))]
