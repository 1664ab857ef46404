"""A warm training process: torch and the engine imported once, then one ``neurona train`` after
another, each asked for on standard input.

The window keeps one of these beside it so that pressing Start again does not wait for a new
process to import torch (about a second here, most of a small run). Each run is the very code
``neurona train`` runs (``studio.cli.cmd_train``), in this process: the same run directory, the
same event stream on standard output, the same exit code; a crash still ends only this process,
never the window.

The protocol, one line each way (docs/training-events.md, "The warm process"):

- in, a run: ``{"run": ["FILE", "--out", "RUN_DIR", "--events", "-", "--control", "stdin", …]}``,
  exactly the arguments ``neurona train`` takes;
- in, a command for the run asked for last: ``stop``, ``pause`` or ``resume`` (as with
  ``--control stdin``); end of input: the process ends once the run under way (if any) ends;
- out: ``{"worker": "ready", "pid": N}`` once torch and the engine are imported, then the run's
  events as ``neurona train --events -`` writes them, then ``{"worker": "exit", "code": N,
  "stderr": "…"}`` (the exit code the command would have returned and the last of what it wrote
  to standard error) when it ends.

A run leaves nothing behind for the next: the trainer seeds torch and NumPy from the run's own
seed, and what a run allocated is collected before the next is read, so a run here gives the
same numbers as the same run in a fresh process (tests/cli/test_worker.py). No Qt.
"""

from __future__ import annotations

import gc
import io
import json
import os
import queue
import sys
import threading
from typing import Any, TextIO

STDERR_KEEP = 16_000


def preload() -> None:
    """Import what a run needs (torch, the compiler, the data loaders, the optimisers): the
    work a fresh ``neurona train`` spends its first second on."""
    import torch  # noqa: F401
    import torch.optim  # noqa: F401
    import torch.optim.lr_scheduler  # noqa: F401

    from .. import compile as _compile  # noqa: F401
    from .. import data as _data  # noqa: F401
    from ..compile import build_module  # noqa: F401
    from . import trainer  # noqa: F401


# What the process trains once before it says it is ready, so that the first run asked for pays
# none of what a first run costs: the optimiser's first use imports torch._dynamo (about 1.5 s
# here), the data loaders import scikit-learn, the first forward and backward passes set up
# their kernels. A small network on a small built-in data set, one epoch, in a folder thrown away.
WARM_UP_GRAPH = {
    "format": "neurona-graph", "version": 1, "name": "warm-up",
    "nodes": [{"id": "x", "type": "Input", "params": {"shape": [2]}},
              {"id": "h", "type": "Linear", "params": {"out_features": 8}},
              {"id": "a", "type": "ReLU"},
              {"id": "o", "type": "Linear", "params": {"out_features": 2}},
              {"id": "y", "type": "Output"}],
    "edges": [{"from": "x", "to": "h"}, {"from": "h", "to": "a"}, {"from": "a", "to": "o"}, {"from": "o", "to": "y"}],
    "training": {"data": "moons?n=64", "epochs": 1, "batch_size": 16, "optimizer": "adam"},
}


def warm_up(run) -> int:
    """One small run through ``run`` (the command itself), its output and files thrown away.
    Returns its exit code; a failure here changes nothing for the runs that follow."""
    import tempfile
    from pathlib import Path

    from .trainer import Control

    real_stderr = sys.stderr
    with tempfile.TemporaryDirectory(prefix="neurona-warm-up-") as folder:
        graph = Path(folder) / "warm-up.neurona"
        graph.write_text(json.dumps(WARM_UP_GRAPH), encoding="utf-8")
        sys.stderr = _Tee(io.StringIO())
        try:
            return run([str(graph), "--out", str(Path(folder) / "run"), "--events", os.devnull, "--quiet"], Control())
        except (Exception, SystemExit):  # noqa: BLE001 - the runs asked for will say what is wrong
            return 1
        finally:
            sys.stderr = real_stderr
            gc.collect()


class _Tee(io.TextIOBase):
    """Standard error of one run: written through as ever, and its last part kept for the
    ``exit`` line (the window shows the last lines when a run fails without an error event)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.kept = ""

    def write(self, text: str) -> int:
        self.kept = (self.kept + text)[-STDERR_KEEP:]
        try:
            self.out.write(text)
            self.out.flush()
        except (OSError, ValueError):
            pass
        return len(text)

    def flush(self) -> None:
        try:
            self.out.flush()
        except (OSError, ValueError):
            pass

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.out, "encoding", "utf-8")


class Requests:
    """Reads standard input on a daemon thread: runs are queued with a ``Control`` made for each
    as its line is read, and a command goes to the control of the run asked for last, so that a
    ``stop`` sent just after a run was asked for reaches it even before it starts."""

    def __init__(self, stream: TextIO) -> None:
        from .trainer import Control

        self._control_type = Control
        self.queue: queue.Queue = queue.Queue()
        self.control = Control()  # the run asked for last (a spare one before any)
        self.thread = threading.Thread(target=self._loop, args=(stream,), name="worker-requests", daemon=True)
        self.thread.start()

    def _loop(self, stream: TextIO) -> None:
        try:
            for line in stream:
                self._line(line)
        except (OSError, ValueError):
            pass
        self.queue.put(None)  # end of input

    def _line(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        request: Any = None
        if text.startswith("{"):
            try:
                request = json.loads(text)
            except ValueError:
                return
        if isinstance(request, dict) and "run" in request:
            argv = request["run"]
            if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
                self.control = self._control_type()
                self.queue.put((argv, self.control))
            return
        self.control.command(text)

    def next(self):
        """(argv, control) of the next run, or None at the end of input."""
        return self.queue.get()


def _say(out: TextIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message, separators=(",", ":")) + "\n")
    out.flush()


def serve(run, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Answer run requests until the end of input. ``run(argv, control) -> exit code`` is the
    command (``neurona train`` with its arguments); it writes its events to standard output."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    preload()
    requests = Requests(stdin)
    if requests.queue.empty():  # a run already asked for warms the process up itself
        warm_up(run)
    real_stderr = sys.stderr
    try:
        _say(stdout, {"worker": "ready", "pid": os.getpid()})
        while True:
            request = requests.next()
            if request is None:
                return 0
            argv, control = request
            sys.stderr = tee = _Tee(real_stderr)
            try:
                code = run(argv, control)
            except SystemExit as exc:  # --help, --version: argparse ends "the process"
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            finally:
                sys.stderr = real_stderr
            gc.collect()  # what the run allocated goes before the next is read
            _say(stdout, {"worker": "exit", "code": code, "stderr": tee.kept})
    except (BrokenPipeError, OSError):  # the window has gone: so does this process
        return 0
