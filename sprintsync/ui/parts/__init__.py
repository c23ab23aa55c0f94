"""The widgets of one page each: parts/<page>.py (and parts/<page>_<what>.py when a page needs
more than one module) are imported only by app_pages/<page>.py and by each other. Whatever two
pages share lives in sprintsync/ui/ itself (tests/test_codebase.py keeps it so)."""
