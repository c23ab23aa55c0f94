"""What a download button really serves, in AppTest: the file it was drawn with, or, for one
whose file is made when it is clicked (Streamlit's deferred downloads), what its maker
returns when called as a click calls it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


class Downloads:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}  # by the file id in a button's URL
        self.makers: dict[str, Callable[[], Any]] = {}  # by a deferred button's file id
        self.names: dict[str, str | None] = {}  # the file name a deferred button gives

    def of(self, button: Any) -> bytes:
        """The bytes `button` serves."""
        proto = button.proto
        if proto.deferred_file_id:
            made = self.makers[proto.deferred_file_id]()
            return made.encode("utf-8") if isinstance(made, str) else bytes(made)
        return self.files[proto.url.rsplit("/", 1)[-1].split(".")[0]]

    def name_of(self, button: Any) -> str | None:
        """The file name a deferred button's download is saved under."""
        return self.names[button.proto.deferred_file_id]

    def install(self, monkeypatch: Any) -> Downloads:
        stored, deferred = MemoryMediaFileStorage.load_and_get_id, MediaFileManager.add_deferred

        def keep_file(storage, path_or_data, mimetype, kind, filename=None):
            file_id = stored(storage, path_or_data, mimetype, kind, filename)
            self.files[file_id] = path_or_data
            return file_id

        def keep_maker(manager, data_callable, *args, **kwargs):
            file_id = deferred(manager, data_callable, *args, **kwargs)
            self.makers[file_id] = data_callable
            self.names[file_id] = kwargs.get("file_name")
            return file_id

        monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep_file)
        monkeypatch.setattr(MediaFileManager, "add_deferred", keep_maker)
        return self
