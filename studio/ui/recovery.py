"""Crash recovery: the editor autosaves the open document to a recovery file and, on the
next start, offers back any recovery file whose process is gone (it crashed or was killed).

A slot is two files in the user data folder (platformdirs): ``<slot>.neurona`` (the graph,
written atomically) and ``<slot>.json`` (which process wrote it, the document's own path and
name, when). A clean close removes both. No Qt here.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..graph.fileformat import atomic_write

APP_NAME = "neurona-studio"


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "recovery"


def _start_time(pid: int) -> str | None:
    """The process's start time, so a recycled process id is not taken for the writer."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


def _alive(pid: int, started: str | None) -> bool:
    if pid == os.getpid():
        return started is None or started == _start_time(pid)
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return started is None or _start_time(pid) in (None, started)


@dataclass(frozen=True)
class Recovered:
    """A recovery file left behind by a process that is gone."""

    graph_file: Path
    meta_file: Path
    source: str | None  # the document's own file, if it had one
    name: str
    saved_at: float

    def text(self) -> bytes:
        return self.graph_file.read_bytes()

    def discard(self) -> None:
        for p in (self.graph_file, self.meta_file):
            try:
                p.unlink()
            except FileNotFoundError:
                pass


class RecoverySlot:
    """This window's own recovery file."""

    def __init__(self, store: "RecoveryStore") -> None:
        self.store = store
        self.id = f"{os.getpid()}-{os.urandom(4).hex()}"

    @property
    def folder(self) -> Path:
        return self.store.folder

    @property
    def graph_file(self) -> Path:
        return self.folder / f"{self.id}.neurona"

    @property
    def meta_file(self) -> Path:
        return self.folder / f"{self.id}.json"

    def write(self, graph_text: str, source: str | None, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.graph_file, graph_text.encode("utf-8"))
        meta = {"pid": os.getpid(), "started": _start_time(os.getpid()), "source": source, "name": name,
                "saved_at": time.time()}
        atomic_write(self.meta_file, json.dumps(meta).encode("utf-8"))

    @property
    def exists(self) -> bool:
        return self.graph_file.exists()

    def discard(self) -> None:
        if self.store._folder is None:
            return  # nothing was ever written
        for p in (self.graph_file, self.meta_file):
            try:
                p.unlink()
            except FileNotFoundError:
                pass


class RecoveryStore:
    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self._folder = Path(folder) if folder is not None else None

    @property
    def folder(self) -> Path:
        if self._folder is None:  # found on first use: platformdirs costs start-up time
            self._folder = default_folder()
        return self._folder

    def new_slot(self) -> "RecoverySlot":
        return RecoverySlot(self)

    def pending(self) -> list[Recovered]:
        """Recovery files whose writer is gone, newest first. Unreadable leftovers are skipped."""
        out = []
        try:
            metas = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        for meta_file in metas:
            graph_file = meta_file.with_suffix(".neurona")
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                pid = int(meta["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if not graph_file.exists() or _alive(pid, meta.get("started")):
                continue
            source = meta.get("source") if isinstance(meta.get("source"), str) else None
            name = meta.get("name") if isinstance(meta.get("name"), str) else graph_file.stem
            saved = meta.get("saved_at") if isinstance(meta.get("saved_at"), (int, float)) else 0.0
            out.append(Recovered(graph_file, meta_file, source, name, float(saved)))
        return sorted(out, key=lambda r: -r.saved_at)
