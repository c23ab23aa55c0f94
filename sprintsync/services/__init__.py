"""The product's API. Pages and the CLI call these functions and nothing below them.

Entry points get their unit of work from here too, so they never import sprintsync.db.
"""

from sprintsync.db import UnitOfWork, read_only_unit_of_work, unit_of_work

__all__ = ["UnitOfWork", "read_only_unit_of_work", "unit_of_work"]
