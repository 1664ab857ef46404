"""The training the window starts: ``neurona train`` in a child process, its JSON-lines event
stream read on the GUI thread without blocking, and pause / resume / stop sent to its stdin.

The child is the same command a script runs, so the window and the command line write the same
run directory. If the child dies (killed, out of memory, a crash) the window is told why, with
the last lines the child wrote to stderr; nothing in the window's document is touched.

While a run goes, the objects the window already has are left out of Python's cycle collector
(``gc.freeze``): a full collection walks every object of NumPy, scikit-learn, pyqtgraph and Qt's
wrappers, about 140,000 of them and 100 ms on the GUI thread, and one that fell during a run was
the longest stall of the window's event loop. Reference counting frees them as usual; the
collector takes them back (``gc.unfreeze``) when the last run in the process ends.
"""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

from ...train.events import Done, Error, Event, Paused, Resumed, RunStarted

STDERR_KEEP = 16_000
_going: weakref.WeakSet = weakref.WeakSet()  # the processes whose run holds the collector back


def _hold_collector(process: "TrainingProcess") -> None:
    _going.add(process)
    gc.freeze()  # what exists now (this run's start included) is not walked while it trains


def _release_collector(process: "TrainingProcess") -> None:
    _going.discard(process)
    if not _going:  # no other run still training
        gc.unfreeze()


class TrainingProcess(QObject):
    event_received = Signal(object)  # every event, in order
    run_started = Signal(object)  # RunStarted
    run_finished = Signal(object)  # Done: completed, stopped or early stopping
    run_failed = Signal(str, str)  # message, fix: an error event, or the child died
    state_changed = Signal(str)  # "starting", "running", "paused", "stopping", "idle"

    def __init__(self, parent: QObject | None = None, python: str = sys.executable) -> None:
        super().__init__(parent)
        self.python = python
        self.proc: QProcess | None = None
        self.state = "idle"
        self.outcome: Event | None = None
        self.stderr = ""
        self.run_dir: Path | None = None
        self._rest = b""

    # -- control ------------------------------------------------------------------------------
    def start(self, graph_file: str | Path, run_dir: str | Path, args: list[str] | tuple[str, ...] = ()) -> None:
        if self.proc is not None:
            raise RuntimeError("a training run is already going")
        self.outcome, self.stderr, self._rest = None, "", b""
        self.run_dir = Path(run_dir)
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        proc.setProcessEnvironment(env)
        proc.setProgram(self.python)
        proc.setArguments(["-m", "studio", "train", str(graph_file), "--out", str(run_dir), "--events", "-",
                           "--control", "stdin", "--quiet", "--priority", "low", *args])
        proc.readyReadStandardOutput.connect(self._read)
        proc.readyReadStandardError.connect(self._read_stderr)
        proc.finished.connect(self._finished)
        proc.errorOccurred.connect(self._error)
        self.proc = proc
        self._set_state("starting")
        _hold_collector(self)  # before start: a child that cannot start is reported from inside it
        proc.start()

    def pause(self) -> None:
        self._send(b"pause\n")

    def resume(self) -> None:
        self._send(b"resume\n")

    def stop(self) -> None:
        if self._send(b"stop\n"):
            self._set_state("stopping")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()

    def wait(self, ms: int = 10_000) -> bool:
        """For closing the window: stop, then wait for the child (a test or shutdown only)."""
        if self.proc is None:
            return True
        self.stop()
        if not self.proc.waitForFinished(ms):
            self.proc.kill()
            return self.proc.waitForFinished(2000)
        return True

    @property
    def running(self) -> bool:
        return self.proc is not None

    def _send(self, line: bytes) -> bool:
        if self.proc is None or self.proc.state() != QProcess.Running:
            return False
        self.proc.write(line)
        return True

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    # -- the child's output ---------------------------------------------------------------------
    def _read(self) -> None:
        if self.proc is None:
            return
        data = self._rest + bytes(self.proc.readAllStandardOutput())
        *lines, self._rest = data.split(b"\n")  # a partial last line waits for the rest
        for line in lines:
            if line.strip():
                self._handle(line)

    def _handle(self, line: bytes) -> None:
        try:
            event = Event.from_json(line)
        except (ValueError, KeyError, TypeError):
            return  # not an event (a library printing to stdout): ignored
        if isinstance(event, RunStarted):
            self._set_state("running")
            self.run_started.emit(event)
        elif isinstance(event, Paused):
            self._set_state("paused")
        elif isinstance(event, Resumed):
            self._set_state("running")
        elif isinstance(event, (Done, Error)):
            self.outcome = event
        self.event_received.emit(event)

    def _read_stderr(self) -> None:
        if self.proc is not None:
            self.stderr = (self.stderr + bytes(self.proc.readAllStandardError()).decode("utf-8", "replace"))[-STDERR_KEEP:]

    def _finished(self, code: int, status) -> None:
        self._read()
        if self._rest.strip():
            self._handle(self._rest)
            self._rest = b""
        self._read_stderr()
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.deleteLater()
        _release_collector(self)
        self._set_state("idle")
        outcome = self.outcome
        if isinstance(outcome, Done):
            self.run_finished.emit(outcome)
        elif isinstance(outcome, Error):
            self.run_failed.emit(outcome.message, outcome.fix)
        else:
            self.run_failed.emit(self._death(code, status), self._last_lines())

    def _error(self, error) -> None:
        if error == QProcess.FailedToStart:
            proc, self.proc = self.proc, None
            _release_collector(self)
            self._set_state("idle")
            self.run_failed.emit(self.tr("The training process could not start ({python}).").format(python=self.python),
                                 proc.errorString() if proc is not None else "")

    def _death(self, code: int, status) -> str:
        if status == QProcess.CrashExit:
            return self.tr("The training process stopped unexpectedly (it was killed or crashed); "
                           "the run directory keeps the last saved weights.")
        return self.tr("The training process ended with exit code {code} before finishing.").format(code=code)

    def _last_lines(self, n: int = 8) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-n:])
