"""Files a run directory gets while it trains, written so that they cost the loop little.

``FileWrites`` writes files on a worker thread (the start files: graph, config, data) while the
first epoch trains, and hands back any failure at ``wait``. ``MetricsLog`` keeps
``metrics.jsonl``: records are collected in memory and go out together in one unbuffered write
when the trainer saves its checkpoints and when the run ends or fails, so a reader of the run
directory only ever sees whole lines, the file is complete once the run is over, and an epoch
costs no system call. No torch, no Qt.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable


class FileWrites:
    """Calls made on one worker thread, in order; ``wait`` joins it and re-raises the first failure."""

    def __init__(self, calls: list[Callable[[], None]]) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(calls,), name="run-files", daemon=True)
        self._thread.start()

    def _work(self, calls: list[Callable[[], None]]) -> None:
        try:
            for call in calls:
                call()
        except BaseException as exc:  # handed to the training thread at wait()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise error


class MetricsLog:
    """``metrics.jsonl``, one JSON object per epoch. ``append``: keep the lines already there
    (a resumed run); otherwise the file starts empty."""

    def __init__(self, path: Path, *, append: bool) -> None:
        self._file = open(path, "ab" if append else "wb", buffering=0)
        self._pending: list[dict[str, Any]] = []

    def add(self, record: dict[str, Any]) -> None:
        """Queue one epoch's record (encoded at ``flush``; the trainer does not change it after)."""
        self._pending.append(record)

    def flush(self) -> None:
        """Write the collected lines with one write call (a short write is finished off)."""
        if not self._pending:
            return
        data = memoryview("".join(json.dumps(r) + "\n" for r in self._pending).encode("utf-8"))
        self._pending.clear()
        while data:
            data = data[self._file.write(data):]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._file.close()
