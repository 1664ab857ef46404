"""The training the window starts: ``neurona train`` in a child process, its JSON-lines event
stream read on the GUI thread without blocking, and pause / resume / stop sent to its stdin.

The child is a warm training process (``python -m studio worker``, ``studio.train.worker``):
it imports torch once, then runs one ``neurona train`` after another, each asked for on its
stdin with the arguments the command takes, through the command's own code, so the window and
the command line still write the same run directory. The first Start starts it and waits for
it as a fresh ``neurona train`` would; it stays after the run, so from the second Start on the
first loss point comes without waiting a second or more for torch to load. Torch never loads in
the window. If the child dies (killed, out of memory, a crash) the window is told why, with the
last lines the child wrote to stderr; nothing in the window's document is touched, and the next
Start starts a fresh child. The child ends with the window (``shutdown``), or on its own when
the window's end of its stdin closes.

While a run goes, the objects the window already has are left out of Python's cycle collector
(``gc.freeze``): a full collection walks every object of NumPy, scikit-learn, pyqtgraph and Qt's
wrappers, about 140,000 of them and 100 ms on the GUI thread, and one that fell during a run was
the longest stall of the window's event loop. Reference counting frees them as usual; the
collector takes them back (``gc.unfreeze``) when the last run in the process ends.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, Signal

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
    worker_ready = Signal(int)  # the child's pid: torch is loaded there and the next run starts at once

    def __init__(self, parent: QObject | None = None, python: str = sys.executable) -> None:
        super().__init__(parent)
        self.python = python
        self.worker: QProcess | None = None  # the warm child, idle or training
        self.ready = False  # the worker has loaded torch and the engine
        self.state = "idle"
        self.outcome: Event | None = None
        self.stderr = ""
        self.run_dir: Path | None = None
        self._going = False  # a run was asked for and has not ended
        self._rest = b""
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- control ------------------------------------------------------------------------------
    def start(self, graph_file: str | Path, run_dir: str | Path, args: list[str] | tuple[str, ...] = ()) -> None:
        """``neurona train GRAPH_FILE --out RUN_DIR ARGS…`` in the warm child (started now, if
        there is none, and waited for as a fresh process would be)."""
        if self._going:
            raise RuntimeError("a training run is already going")
        self.outcome, self.stderr = None, ""
        self.run_dir = Path(run_dir)
        self._going = True
        self._set_state("starting")
        _hold_collector(self)  # before a child starts: one that cannot is reported from inside start
        if self.worker is None:
            self._spawn()
            if self.worker is None:  # could not start: already reported
                return
        request = {"run": [str(graph_file), "--out", str(run_dir), "--events", "-", "--control", "stdin", "--quiet",
                           "--priority", "low", *map(str, args)]}
        self.worker.write(json.dumps(request).encode("utf-8") + b"\n")

    def prepare(self) -> None:
        """Start the warm child now, in the background, if there is none: the next Start finds
        torch loaded. (Never call it before the window's first paint.)"""
        if self.worker is None:
            self._spawn()

    def pause(self) -> None:
        self._send(b"pause\n")

    def resume(self) -> None:
        self._send(b"resume\n")

    def stop(self) -> None:
        if self._send(b"stop\n"):
            self._set_state("stopping")

    def kill(self) -> None:
        """End the child at once (its run, if one goes, fails as a crash does)."""
        if self.worker is not None:
            self.worker.kill()

    def stop_and_wait(self, ms: int = 10_000) -> bool:
        """Stop the run and wait for it to end (its folder keeps what it learned); the child stays
        warm for the next. It blocks: for a person who asked to stop before going on. True when
        no run is left going."""
        deadline = time.monotonic() + ms / 1000
        if self._going:
            self.stop()
            while self._going and self.worker is not None:
                left = int((deadline - time.monotonic()) * 1000)
                if left <= 0:
                    break
                self.worker.waitForReadyRead(min(left, 100))  # our slots read what comes, and the end
        return not self._going

    def wait(self, ms: int = 10_000) -> bool:
        """For closing the window: stop the run, wait for it to end, then end the child (a test
        or shutdown only: it blocks)."""
        deadline = time.monotonic() + ms / 1000
        self.stop_and_wait(ms)
        if self._going:
            self.kill()
            if self.worker is not None:
                self.worker.waitForFinished(2000)
        return self.shutdown(max(500, int((deadline - time.monotonic()) * 1000))) and not self._going

    def shutdown(self, ms: int = 3000) -> bool:
        """End the child: it leaves when its stdin closes (a run under way is stopped first by
        ``wait``); one that does not within ``ms`` is killed. True once it has gone."""
        proc = self.worker
        if proc is None:
            return True
        if self._going:
            self.stop()
        proc.closeWriteChannel()
        if not proc.waitForFinished(ms):
            proc.kill()
            proc.waitForFinished(2000)
        return proc.state() == QProcess.NotRunning

    @property
    def running(self) -> bool:
        """A run is going (asked for, and not yet ended)."""
        return self._going

    @property
    def proc(self) -> QProcess | None:
        """The child while a run goes in it."""
        return self.worker if self._going else None

    @property
    def pid(self) -> int | None:
        return int(self.worker.processId()) or None if self.worker is not None else None

    def _send(self, line: bytes) -> bool:
        if not self._going or self.worker is None or self.worker.state() == QProcess.NotRunning:
            return False
        self.worker.write(line)
        return True

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    # -- the child ----------------------------------------------------------------------------
    def _spawn(self) -> None:
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        proc.setProcessEnvironment(env)
        proc.setProgram(self.python)
        proc.setArguments(["-m", "studio", "worker", "--priority", "low"])
        proc.readyReadStandardOutput.connect(self._on_stdout)  # methods, not lambdas holding self
        proc.readyReadStandardError.connect(self._on_stderr)
        proc.finished.connect(self._on_finished)
        proc.errorOccurred.connect(self._on_error)
        self.worker, self.ready, self._rest = proc, False, b""
        proc.start()

    def _on_stdout(self) -> None:
        self._read(self.sender())

    def _on_stderr(self) -> None:
        self._read_stderr(self.sender())

    def _on_finished(self, code: int, status) -> None:
        self._finished(self.sender(), code, status)

    def _on_error(self, error) -> None:
        self._error(self.sender(), error)

    def _read(self, proc: QProcess) -> None:
        if proc is not self.worker:
            return
        data = self._rest + bytes(proc.readAllStandardOutput())
        *lines, self._rest = data.split(b"\n")  # a partial last line waits for the rest
        for line in lines:
            if line.strip():
                self._handle(line)

    def _handle(self, line: bytes) -> None:
        if line.startswith(b'{"worker"'):
            self._worker_says(line)
            return
        try:
            event = Event.from_json(line)
        except (ValueError, KeyError, TypeError):
            return  # not an event (a library printing to stdout): ignored
        if not self._going:
            return
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

    def _worker_says(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            return
        if message.get("worker") == "ready":
            self.ready = True
            self.worker_ready.emit(int(message.get("pid", 0)))
        elif message.get("worker") == "exit" and self._going:  # the run ended; the child stays
            self._ended(int(message.get("code", 1)), None, str(message.get("stderr", "")))

    def _read_stderr(self, proc: QProcess) -> None:
        text = bytes(proc.readAllStandardError()).decode("utf-8", "replace")
        if proc is self.worker and self._going:
            self.stderr = (self.stderr + text)[-STDERR_KEEP:]

    def _finished(self, proc: QProcess, code: int, status) -> None:
        if proc is not self.worker:
            proc.deleteLater()
            return
        self._read(proc)
        if self._rest.strip():
            self._handle(self._rest)
        self._read_stderr(proc)
        self.worker, self.ready, self._rest = None, False, b""
        proc.deleteLater()
        if self._going:  # it died during a run
            self._ended(code, status, self.stderr)

    def _ended(self, code: int, status, stderr: str) -> None:
        """The run is over: completed, stopped or failed (an error event, an exit code without
        one, or the child's death: ``status`` set)."""
        self._going = False
        _release_collector(self)
        self._set_state("idle")
        outcome = self.outcome
        if isinstance(outcome, Done):
            self.run_finished.emit(outcome)
        elif isinstance(outcome, Error):
            self.run_failed.emit(outcome.message, outcome.fix)
        else:
            self.run_failed.emit(self._death(code, status), self._last_lines(stderr))

    def _error(self, proc: QProcess, error) -> None:
        if error != QProcess.FailedToStart or proc is not self.worker:
            return
        self.worker, self.ready = None, False
        proc.deleteLater()
        if self._going:
            self._going = False
            _release_collector(self)
            self._set_state("idle")
            self.run_failed.emit(self.tr("The training process could not start ({python}).").format(python=self.python),
                                 proc.errorString())

    def _death(self, code: int, status) -> str:
        if status == QProcess.CrashExit:
            return self.tr("The training process stopped unexpectedly (it was killed or crashed); "
                           "the run directory keeps the last saved weights.")
        return self.tr("The training process ended with exit code {code} before finishing.").format(code=code)

    @staticmethod
    def _last_lines(text: str, n: int = 8) -> str:
        return "\n".join(text.strip().splitlines()[-n:])
