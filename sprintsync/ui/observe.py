"""Streamlit's side of observability: which page, user and browser session a run is for.

app.py wraps the page run: `with observe.page_run(page): page.run()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from streamlit.navigation.page import StreamlitPage
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from sprintsync import metrics, observability
from sprintsync.observability.logs import RunContext
from sprintsync.ui.session import current_actor


def page_name(page: str | StreamlitPage) -> str:
    """A short, bounded label: the page's URL path ("home" for the default page)."""
    if isinstance(page, StreamlitPage):
        return page.url_path or "home"
    return page


def connected_sessions() -> int:
    """Browser sessions the Streamlit server holds right now (0 outside a server, e.g. AppTest).

    Read from the runtime at scrape time, so a closed tab is counted out without any hook.
    The session manager is not public API; streamlit is pinned exactly in pyproject.toml."""
    if not Runtime.exists():
        return 0
    try:
        return int(Runtime.instance()._session_mgr.num_active_sessions())
    except Exception:
        return 0


metrics.active_sessions.set_function(connected_sessions)


@contextmanager
def page_run(page: str | StreamlitPage) -> Iterator[RunContext]:
    """Count, time and log one script run of `page` for the signed-in user, if any."""
    actor = current_actor()
    ctx = get_script_run_ctx(suppress_warning=True)
    with observability.page_run(
        page_name(page),
        user_id=actor.id if actor else None,
        session_id=ctx.session_id if ctx else None,
        normal_exits=(ScriptControlException,),
    ) as run:
        yield run
