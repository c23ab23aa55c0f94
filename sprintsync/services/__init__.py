"""The product's API. Pages and the CLI call these functions and nothing below them.

Entry points get their unit of work from here too, so they never import sprintsync.db.
"""

from sprintsync.db import unit_of_work

__all__ = ["unit_of_work"]
