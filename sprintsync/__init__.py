"""SprintSync: log work on tasks, track time, plan with an LLM."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sprintsync")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
