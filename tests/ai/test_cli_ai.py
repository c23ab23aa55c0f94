"""`sprintsync ai draft` and `sprintsync ai plan`: in process against the test's data, and as a
real console script against a database of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sprintsync.cli import main
from sprintsync.services import tasks
from sprintsync.services.ai.fallback import draft_from_title
from tests.ai.gemini_fake import GOOD_DRAFT, json_response

TITLE = "Fix login redirect loop on Safari"
SCRIPT = Path(sys.executable).with_name("sprintsync")


def test_ai_draft_json_has_the_draft_and_where_it_came_from(member, capsys):
    assert main(["ai", "draft", "--as", "mia", TITLE, "--context", "Safari 17", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    offline = draft_from_title(TITLE, "Safari 17")
    assert (out["mode"], out["kind"], out["basis"]) == ("draft", "bug", "rules")
    assert (out["source"], out["reason"]) == ("fallback", "no_key")
    assert out["evidence"].startswith("No finished tasks like this one yet")
    assert out["draft_id"] > 0
    assert out["reason_text"] == "no Gemini API key is set"
    assert out["steps"] == list(offline.steps)
    assert out["estimate_minutes"] == offline.estimate_minutes
    assert out["description"].startswith(f"Goal: {offline.goal}\n\nSteps:\n1. ")
    assert out["latency_ms"] >= 0


def test_ai_draft_prints_a_readable_draft(member, capsys):
    assert main(["ai", "draft", "--as", "mia", TITLE]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Goal: The problem reported as “Fix login redirect loop on Safari” is fixed at its cause"
    )
    assert "\nSteps:\n1. Reproduce the problem and write down the exact steps" in out
    assert "\nEstimate: 3h\nNo finished tasks like this one yet (0 found, 3 needed)" in out
    assert out.rstrip().endswith("\n\nDrafted by rules (no Gemini API key is set).")


def test_ai_draft_uses_gemini_when_a_key_is_set(member, fake_gemini, capsys):
    fake_gemini.will(json_response(GOOD_DRAFT))
    assert main(["ai", "draft", "--as", "mia", TITLE, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["source"], out["goal"]) == ("gemini", GOOD_DRAFT["goal"])


def test_ai_plan_json_lists_items_later_and_a_tip(uow, member, capsys):
    task = tasks.create_task(uow(), actor=member, title="Review the onboarding PR", estimate="1h")
    assert main(["ai", "plan", "--as", "mia", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mode"] == "plan"
    assert out["items"] == [
        {
            "task_id": task.id,
            "title": "Review the onboarding PR",
            "status": "todo",
            "minutes": 60,
            "note": "fits in one sitting",
            "priority": "normal",
            "due": None,
        }
    ]
    assert out["later"] == []
    assert (out["focus_minutes"], out["planned_minutes"]) == (360, 60)
    assert out["tip"]


def test_ai_plan_prints_the_plan(uow, member, capsys):
    tasks.create_task(uow(), actor=member, title="Review the onboarding PR", estimate="1h")
    assert main(["ai", "plan", "--as", "mia"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Today: 1h planned of 6h available (6h focus time)\n")
    assert "1h  #" in out
    assert "Review the onboarding PR" in out
    assert "\nTip: " in out
    assert out.rstrip().endswith("Planned by rules (no Gemini API key is set).")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ai", "draft", "--as", "mia", "   "], 2, "Error: Title is required."),
        (["ai", "draft", "--as", "nobody", "Fix it"], 3, "Error: "),
    ],
)
def test_ai_draft_errors_are_one_line_with_the_exit_code(member, capsys, args, code, message):
    assert main(args) == code
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_the_console_script_drafts_offline_against_a_real_database(fresh_db):
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
    env["SPRINTSYNC_DATABASE_URL"] = fresh_db.url.render_as_string(hide_password=False)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
        )

    created = run("users", "add", "mia", "--password-stdin", stdin="correct-horse-battery\n")
    assert created.returncode == 0, created.stderr
    drafted = run("ai", "draft", "--as", "mia", TITLE, "--json")
    assert drafted.returncode == 0, drafted.stderr
    out = json.loads(drafted.stdout)
    assert (out["source"], out["reason"]) == ("fallback", "no_key")
    assert out["goal"] == draft_from_title(TITLE).goal
    again = run("ai", "draft", "--as", "mia", TITLE, "--json")
    assert json.loads(again.stdout)["steps"] == out["steps"]  # deterministic across processes


def test_ai_drafts_lists_what_became_of_each_draft(uow, member, capsys):
    assert main(["ai", "draft", "--as", "mia", "Export to CSV drops the last row", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["ai", "draft", "--as", "mia", TITLE, "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    task = tasks.create_task(
        uow(),
        actor=member,
        title=TITLE,
        description=second["description"],
        estimate=second["estimate_minutes"],
        draft_id=second["draft_id"],
    )
    assert main(["ai", "drafts", "--as", "mia", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["drafts"]
    assert [(d["id"], d["outcome"], d["task_id"]) for d in listed] == [
        (second["draft_id"], "kept", task.id),
        (first["draft_id"], "discarded", None),
    ]
    assert main(["ai", "drafts", "--as", "mia"]) == 0
    assert f"kept      rules   bug            {TITLE} -> task #{task.id}" in capsys.readouterr().out
