"""The training the window runs: a real ``neurona train`` child, its events read live,
pause / resume / stop through its stdin, and a child killed from outside."""

import gc

import pytest

from conftest import EXAMPLES
from studio.train.events import BatchLosses, EpochEnd
from studio.ui.training.process import TrainingProcess


@pytest.fixture
def trainer(qtbot):
    t = TrainingProcess()
    yield t
    t.wait(5000)


def _events(t, kind):
    seen = []
    t.event_received.connect(lambda e: isinstance(e, kind) and seen.append(e))
    return seen


def test_xor_trains_to_100_percent_in_a_child_process(trainer, qtbot, tmp_path):
    epochs = _events(trainer, EpochEnd)
    batches = _events(trainer, BatchLosses)
    with qtbot.waitSignal(trainer.run_finished, timeout=120_000) as done:
        trainer.start(EXAMPLES / "xor.neurona", tmp_path / "run")
    result = done.args[0]
    assert result.reason == "completed" and result.test["accuracy"] == 1.0
    assert epochs and batches and epochs[-1].epoch == result.epochs_run
    assert (tmp_path / "run" / "summary.json").exists()
    assert trainer.state == "idle" and not trainer.running


def test_pause_resume_and_stop(trainer, qtbot, tmp_path):
    epochs = _events(trainer, EpochEnd)
    trainer.start(EXAMPLES / "digits_mlp.neurona", tmp_path / "run", ["--epochs", "500"])
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120_000)
    trainer.pause()
    qtbot.waitUntil(lambda: trainer.state == "paused", timeout=30_000)
    seen = len(epochs)
    trainer.resume()
    qtbot.waitUntil(lambda: trainer.state == "running" and len(epochs) > seen, timeout=30_000)
    with qtbot.waitSignal(trainer.run_finished, timeout=30_000) as done:
        trainer.stop()
    assert done.args[0].reason == "stopped" and done.args[0].epochs_run < 500


def test_a_child_killed_from_outside_is_reported(trainer, qtbot, tmp_path):
    trainer.start(EXAMPLES / "digits_mlp.neurona", tmp_path / "run", ["--epochs", "500"])
    qtbot.waitUntil(lambda: trainer.state == "running", timeout=120_000)
    with qtbot.waitSignal(trainer.run_failed, timeout=30_000) as failed:
        trainer.proc.kill()
    assert "unexpectedly" in failed.args[0]
    assert trainer.state == "idle"
    assert gc.get_freeze_count() == 0  # a dead child gives the collector back too


def test_data_that_does_not_fit_is_an_error_with_the_fix(trainer, qtbot, tmp_path):
    with qtbot.waitSignal(trainer.run_failed, timeout=120_000) as failed:
        trainer.start(EXAMPLES / "xor.neurona", tmp_path / "run", ["--data", "digits"])
    text = " — ".join(a for a in failed.args if a)
    assert "1×8×8" in text and "set the Input's shape to [1, 8, 8]" in text


def test_the_cycle_collector_leaves_the_windows_objects_alone_while_a_run_goes(trainer, qtbot, tmp_path):
    """A full collection walks every object the window has (100 ms on the GUI thread): while a
    run trains, what existed at its start is frozen out of it, and given back when the run ends."""
    assert gc.get_freeze_count() == 0
    before = object.__new__(type("Tracked", (), {}))  # a tracked object that exists at the start
    epochs = _events(trainer, EpochEnd)
    trainer.start(EXAMPLES / "digits_mlp.neurona", tmp_path / "run", ["--epochs", "500"])
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120_000)
    assert gc.get_freeze_count() > 1000 and gc.is_tracked(before)
    assert not any(o is before for o in gc.get_objects())  # frozen: no generation holds it
    with qtbot.waitSignal(trainer.run_finished, timeout=30_000):
        trainer.stop()
    assert gc.get_freeze_count() == 0
    assert any(o is before for o in gc.get_objects(2))


def test_a_child_that_cannot_start_gives_the_collector_back(qtbot, tmp_path):
    t = TrainingProcess(python=str(tmp_path / "no-such-python"))
    with qtbot.waitSignal(t.run_failed, timeout=30_000) as failed:
        t.start(EXAMPLES / "xor.neurona", tmp_path / "run")
    assert "could not start" in failed.args[0]
    assert gc.get_freeze_count() == 0 and t.state == "idle"
