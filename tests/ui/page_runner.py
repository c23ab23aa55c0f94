"""Running one page in the real Streamlit runtime (AppTest) as a signed-in user."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sprintsync.services import tasks
from sprintsync.services.views import Actor
from sprintsync.ui.parts.my_tasks import NEW_TASK_BOX
from sprintsync.ui.parts.my_tasks_filters import MORE_BOX, VIEW_CHOICE
from sprintsync.ui.parts.my_tasks_panel import tab_key
from sprintsync.ui.parts.my_time import CHARTS_BOX

PAGES = Path(__file__).resolve().parents[2] / "app_pages"
HOST = Path(__file__).with_name("page_host.py")
# My tasks' tests drive the list of cards, whose buttons are the tasks' actions; the table
# (the page's default view) has tests of its own that ask for it (test_my_tasks_table.py).
MY_TASKS_VIEW = VIEW_CHOICE


def page_test(script: Path | str, actor: Actor | None = None, **kwargs) -> AppTest:
    """An AppTest of one page script, drawn as app.py draws it (tests/ui/page_host.py)."""
    at = AppTest.from_file(str(HOST), **{"default_timeout": 30, **kwargs})
    at.session_state["_test_page"] = str(script)
    if Path(script).name == "my_tasks.py":
        at.session_state[MY_TASKS_VIEW] = "List"
    if actor is not None:
        at.session_state["actor"] = actor
    return at


def open_page(name: str, actor: Actor, **query_params: str) -> AppTest:
    """The page after its first run, signed in as `actor` (the session contract of app.py);
    query_params are in the URL it is opened with, as after following a link."""
    at = page_test(PAGES / name, actor)
    at.query_params.update(query_params)
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def toasts(at: AppTest) -> list[str]:
    """Toast messages as the user reads them (they are Markdown-escaped on the wire)."""
    return [re.sub(r"\\(.)", r"\1", t.value) for t in at.toast]


def errors(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def warnings(at: AppTest) -> list[str]:
    """Warnings as the user reads them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]


def create_task(uow, actor: Actor, title: str = "Write the onboarding guide", **fields):
    return tasks.create_task(uow(), actor=actor, title=title, **fields)


def open_task(at: AppTest, task_id: int, tab: str | None = None) -> AppTest:
    """Click the task's Open button in the list; then its `tab`, if named."""
    click(at, f"list.open.{task_id}")
    return at if tab is None else open_tab(at, task_id, tab)


def open_tab(at: AppTest, task_id: int, tab: str) -> AppTest:
    """Choose a tab of the open task, as a click on it does (its content is drawn from
    then on), and rerun."""
    at.session_state[tab_key(task_id)] = tab
    at.run()
    assert not at.exception
    return at


def banner_key(at: AppTest, what: str) -> str | None:
    """The key of the timer banner's `what` button (stop, discard, stop_corrected), if shown:
    it names the timer it was drawn for, so tests look it up."""
    keys = [b.key for b in at.button if b.key and b.key.startswith(f"timer.{what}.")]
    assert len(keys) <= 1, keys
    return keys[0] if keys else None


def k(at: AppTest, name: str) -> str:
    """The key widget `name` is drawn with now. A form's widgets carry the form's generation
    (sprintsync/ui/forms.py): `new_task.title` is drawn as `new_task.title.0`, and after a
    task is created as `new_task.title.1`."""
    drawn = set(_keys(at._tree))
    if name in drawn:
        return name
    found = [key for key in drawn if re.fullmatch(re.escape(name) + r"\.\d+", key)]
    assert len(found) <= 1, found
    return found[0] if found else name


def _keys(node):
    key = getattr(node, "key", None)
    if key:
        yield key
    for child in getattr(node, "children", {}).values():
        yield from _keys(child)


def correction_key(at: AppTest, field: str) -> str | None:
    """The key of the 12-hour correction form's `field` (duration, note, submit), if shown."""
    pattern = re.compile(r"timer\.correct\.\d+\.\d+\." + re.escape(field) + r"\.\d+")
    keys = [key for key in _keys(at._tree) if pattern.fullmatch(key)]
    assert len(keys) <= 1, keys
    return keys[0] if keys else None


def click(at: AppTest, key: str) -> AppTest:
    """Click the button drawn with `key` (resolved as k() does) and rerun."""
    at.button(key=k(at, key)).click().run()
    assert not at.exception
    return at


def dialogs(at: AppTest) -> list[str]:
    """The titles of the dialogs open now (the open task's is "Task #<id>")."""
    return [n.proto.dialog.title for n in _nodes(at._tree) if _is_dialog(n)]


def _is_dialog(node) -> bool:
    proto = getattr(node, "proto", None)
    return type(proto).__name__ == "Block" and proto.WhichOneof("type") == "dialog"


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def open_tables(at: AppTest) -> AppTest:
    """Show every chart's Table tab (only the open tab of a chart is drawn) and rerun."""
    for key in [k for k in _keys(at._tree) if k.endswith("-tabs")]:
        at.session_state[key] = "Table"
    at.run()
    assert not at.exception
    return at


def with_box_open(at: AppTest, key: str) -> AppTest:
    """Open the expander drawn with `key`, as a click on it does, and rerun."""
    at.session_state[key] = True
    at.run()
    assert not at.exception
    return at


def with_new_task_open(at: AppTest) -> AppTest:
    """Open My tasks' New task box (its form is drawn from then on)."""
    return with_box_open(at, NEW_TASK_BOX)


def with_more_filters_open(at: AppTest) -> AppTest:
    """Open My tasks' More filters box (its five filters are drawn only while it is open)."""
    return with_box_open(at, MORE_BOX)


def with_week_charts_open(at: AppTest) -> AppTest:
    """Open My time's box of charts (they are read and drawn only while it is open)."""
    return with_box_open(at, CHARTS_BOX)
