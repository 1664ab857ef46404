"""The warm training process the window keeps: the second Start runs in the process the first
started (torch already loaded there, never in the window), with the same numbers as a fresh one;
a process killed between runs or during one is replaced at the next Start; pause, resume and
stop reach a run in it; closing the window ends it."""

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT
from studio.train.events import EpochEnd
from studio.ui.training.process import TrainingProcess

DIGITS = EXAMPLES / "digits_mlp.neurona"
XOR = EXAMPLES / "xor.neurona"


@pytest.fixture
def trainer(qtbot):
    t = TrainingProcess()
    yield t
    t.wait(5000)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _train(qtbot, t, graph, run_dir, *args):
    with qtbot.waitSignal(t.run_finished, timeout=180_000) as done:
        t.start(graph, run_dir, list(args))
    return done.args[0]


def _numbers(run):
    """What a run computed: every epoch's figures (not its duration), the test metrics, the weights."""
    epochs = [{k: v for k, v in json.loads(line).items() if k != "seconds"}
              for line in (run / "metrics.jsonl").read_text().splitlines()]
    return epochs, json.loads((run / "summary.json").read_text())["test"], (run / "last.safetensors").read_bytes()


def test_the_second_run_goes_to_the_same_process_and_gives_the_same_numbers(trainer, qtbot, tmp_path):
    first = _train(qtbot, trainer, DIGITS, tmp_path / "first", "--epochs", "2", "--seed", "5")
    pid = trainer.pid
    assert first.reason == "completed" and pid is not None and pid != os.getpid()
    assert trainer.ready and not trainer.running and trainer.state == "idle"
    second = _train(qtbot, trainer, DIGITS, tmp_path / "second", "--epochs", "2", "--seed", "5")
    assert trainer.pid == pid  # the same process: torch was not imported again
    assert second.reason == "completed" and second.run_dir == str(tmp_path / "second")
    assert _numbers(tmp_path / "second") == _numbers(tmp_path / "first")  # the first ran in a fresh process


def test_a_process_killed_between_runs_is_replaced_at_the_next_start(trainer, qtbot, tmp_path):
    failed = []
    trainer.run_failed.connect(lambda *a: failed.append(a))
    _train(qtbot, trainer, XOR, tmp_path / "one", "--epochs", "5")
    pid = trainer.pid
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: trainer.worker is None, timeout=30_000)
    assert not failed and trainer.state == "idle"  # no run went: nothing to report
    done = _train(qtbot, trainer, XOR, tmp_path / "two", "--epochs", "5")
    assert done.reason == "completed" and trainer.pid not in (None, pid)


def test_a_process_killed_during_a_warm_run_is_reported_and_the_next_start_works(trainer, qtbot, tmp_path):
    _train(qtbot, trainer, XOR, tmp_path / "one", "--epochs", "5")
    pid = trainer.pid
    epochs = []
    trainer.event_received.connect(lambda e: isinstance(e, EpochEnd) and epochs.append(e))
    trainer.start(DIGITS, tmp_path / "two", ["--epochs", "500"])
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120_000)
    assert trainer.pid == pid
    with qtbot.waitSignal(trainer.run_failed, timeout=30_000) as failed:
        os.kill(pid, signal.SIGKILL)
    assert "unexpectedly" in failed.args[0] and trainer.state == "idle" and not trainer.running
    done = _train(qtbot, trainer, XOR, tmp_path / "three", "--epochs", "5")
    assert done.reason == "completed" and trainer.pid not in (None, pid)


def test_pause_resume_and_stop_in_a_warm_run(trainer, qtbot, tmp_path):
    _train(qtbot, trainer, XOR, tmp_path / "one", "--epochs", "5")
    pid = trainer.pid
    epochs = []
    trainer.event_received.connect(lambda e: isinstance(e, EpochEnd) and epochs.append(e))
    trainer.start(DIGITS, tmp_path / "two", ["--epochs", "500"])
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120_000)
    trainer.pause()
    qtbot.waitUntil(lambda: trainer.state == "paused", timeout=30_000)
    seen = len(epochs)
    trainer.resume()
    qtbot.waitUntil(lambda: trainer.state == "running" and len(epochs) > seen, timeout=30_000)
    with qtbot.waitSignal(trainer.run_finished, timeout=30_000) as done:
        trainer.stop()
    assert done.args[0].reason == "stopped" and done.args[0].epochs_run < 500
    assert trainer.pid == pid and trainer.ready  # still there for the next run
    again = _train(qtbot, trainer, XOR, tmp_path / "three", "--epochs", "5")
    assert again.reason == "completed" and trainer.pid == pid


def test_a_failed_run_leaves_the_process_for_the_next(trainer, qtbot, tmp_path):
    _train(qtbot, trainer, XOR, tmp_path / "one", "--epochs", "5")
    pid = trainer.pid
    with qtbot.waitSignal(trainer.run_failed, timeout=120_000) as failed:
        trainer.start(XOR, tmp_path / "two", ["--data", "digits"])
    assert "1×8×8" in failed.args[0]
    with qtbot.waitSignal(trainer.run_failed, timeout=120_000) as failed:
        trainer.start(XOR, tmp_path / "three", ["--epochs", "-1"])  # refused by the command itself: exit code 2
    assert "exit code 2" in failed.args[0] and "epochs" in failed.args[1]  # the last lines it wrote
    assert _train(qtbot, trainer, XOR, tmp_path / "four", "--epochs", "5").reason == "completed"
    assert trainer.pid == pid


def test_the_window_keeps_one_process_across_starts_and_ends_it_when_it_closes(make_window, qtbot, tmp_path):
    src = tmp_path / "xor.neurona"
    src.write_text(XOR.read_text())
    w = make_window(src)
    panel = w.training_panel()
    panel.epochs.setValue(5)
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    pid = panel.process.pid
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    assert panel.process.pid == pid and _alive(pid)
    assert panel.runs.count() == 2
    w.doc.undo_stack.setClean()
    w.close()
    qtbot.waitUntil(lambda: not _alive(pid), timeout=10_000)


def test_torch_never_loads_in_the_window_process(tmp_path):
    """In a process of its own (other tests import torch): two runs from a TrainingProcess, and
    torch is still not among the window process's modules."""
    script = f"""
import sys
from PySide6.QtCore import QCoreApplication, QEventLoop
from studio.ui.training.process import TrainingProcess
app = QCoreApplication([])
t = TrainingProcess()
pids = []
for n in range(2):
    loop = QEventLoop()
    t.run_finished.connect(loop.quit)
    t.run_failed.connect(lambda *a: (print("failed", a), loop.quit()))
    t.start({str(XOR)!r}, {str(tmp_path)!r} + f"/run{{n}}", ["--epochs", "5"])
    loop.exec()
    pids.append(t.pid)
print(pids[0] == pids[1], "torch" in sys.modules)
t.wait(5000)
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.stdout.split() == ["True", "False"], proc.stdout + proc.stderr
