"""Real training runs through the engine and the CLI: examples learn, the run directory is
complete, evaluate reports the documented metrics, and failures are clear."""

import json
import subprocess
import sys
import time

import pytest
import torch

from conftest import EXAMPLES, ROOT, run_cli
from studio.compile import analyze
from studio.data import load_data
from studio.layers import graph_from_data, load_graph
from studio.train import Control, TrainConfig, Trainer, TrainingFailed
from studio.train.events import EventStream
from studio.train.objective import ObjectiveError, choose_objective


def events_of(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def test_xor_reaches_100_percent_from_the_command_line(tmp_path):
    run = tmp_path / "xor"
    proc = run_cli("train", "examples/xor.neurona", "--out", str(run), "--events", str(tmp_path / "ev.jsonl"))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((run / "summary.json").read_text())
    assert summary["test"]["accuracy"] == 1.0
    assert summary["loss"] == "bce_with_logits"
    for name in ("graph.neurona", "config.json", "data.json", "best.safetensors", "last.safetensors", "metrics.jsonl"):
        assert (run / name).exists(), name
    kinds = [e["event"] for e in events_of(tmp_path / "ev.jsonl")]
    assert kinds[0] == "start" and kinds[-1] == "done" and "epoch" in kinds
    evaluated = run_cli("evaluate", str(run), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    result = json.loads(evaluated.stdout)
    assert result["accuracy"] == 1.0
    assert {"loss", "precision", "recall", "f1", "confusion_matrix"} <= set(result)
    assert result["confusion_matrix"] == [[2, 0], [0, 2]]


def test_digits_cnn_reaches_97_percent(tmp_path):
    graph = load_graph(EXAMPLES / "digits_cnn.neurona")
    cfg = TrainConfig.from_dict(graph.extra["training"])
    splits = load_data(cfg.data, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
    result = Trainer(graph, splits, cfg, tmp_path / "cnn").run()
    assert result.test["accuracy"] >= 0.97, result.test["accuracy"]
    confusion = json.loads((tmp_path / "cnn" / "summary.json").read_text())["test"]["confusion_matrix"]
    assert sum(map(sum, confusion)) == len(splits.test)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.neurona")), ids=lambda p: p.stem)
def test_every_example_learns_with_its_own_training_settings(path, tmp_path):
    graph = load_graph(path)
    assert "training" in graph.extra and graph.extra["training"].get("data"), "each example says what it trains on"
    cfg = TrainConfig.from_dict(graph.extra["training"]).replace(epochs=3)
    splits = load_data(cfg.data, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
    result = Trainer(graph, splits, cfg, tmp_path / path.stem).run()
    first, last = result.history[0]["train"]["loss"], result.history[-1]["train"]["loss"]
    assert last < first, f"{path.stem}: loss {first:.4f} → {last:.4f}"


def test_autoencoder_reconstruction_loss_falls_well_below_the_first_epoch(tmp_path):
    graph = load_graph(EXAMPLES / "conv_autoencoder.neurona")
    cfg = TrainConfig.from_dict(graph.extra["training"])
    splits = load_data(cfg.data, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
    result = Trainer(graph, splits, cfg.replace(epochs=10), tmp_path / "ae").run()
    assert splits.task == "reconstruction"
    assert result.history[-1]["val"]["loss"] < 0.5 * result.history[0]["val"]["loss"]


def test_resume_continues_the_same_run(tmp_path):
    run = tmp_path / "mlp"
    base = ["train", "examples/digits_mlp.neurona", "--out", str(run), "--quiet"]
    assert run_cli(*base, "--epochs", "2").returncode == 0
    proc = run_cli(*base, "--epochs", "4", "--resume", "--events", str(tmp_path / "ev.jsonl"))
    assert proc.returncode == 0, proc.stderr
    start = events_of(tmp_path / "ev.jsonl")[0]
    assert start["start_epoch"] == 3
    lines = (run / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["epoch"] for x in lines] == [1, 2, 3, 4]


def test_a_diverging_run_stops_with_a_nan_error(tmp_path):
    proc = run_cli("train", "examples/sine_lstm.neurona", "--out", str(tmp_path / "nan"), "--optimizer", "sgd",
                   "--lr", "10", "--momentum", "0.99", "--epochs", "5", "--events", "-")
    assert proc.returncode == 1
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["event"] == "error" and last["code"] == "nan"
    assert "lower the learning rate" in last["fix"]
    assert "Traceback" not in proc.stderr


def test_data_that_does_not_fit_the_graph_is_refused_before_training(tmp_path):
    proc = run_cli("train", "examples/xor.neurona", "--data", "digits", "--out", str(tmp_path / "x"))
    assert proc.returncode == 1
    assert "1×8×8 image" in proc.stderr and "Input expects 2 features" in proc.stderr
    assert "set the Input's shape to [1, 8, 8]" in proc.stderr
    assert not (tmp_path / "x" / "best.safetensors").exists()


def test_bad_usage_exits_2(tmp_path):
    assert run_cli("train", "examples/xor.neurona", "--out", str(tmp_path / "a"), "--data", "nosuchset").returncode == 2
    assert run_cli("train", "examples/xor.neurona", "--out", str(tmp_path / "a"), "--lr", "-1").returncode == 2
    proc = run_cli("evaluate", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_stop_pause_and_resume_through_the_control_channel(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "train", "examples/digits_mlp.neurona", "--out", str(tmp_path / "ctl"),
         "--epochs", "500", "--mode", "stochastic", "--events", "-", "--control", "stdin", "--quiet"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        def until(kind):
            for line in proc.stdout:
                event = json.loads(line)
                seen.append(event["event"])
                if event["event"] == kind:
                    return event
            raise AssertionError(f"stream ended before {kind!r}: {seen[-5:]} {proc.stderr.read()}")

        until("batches")
        proc.stdin.write("pause\n"); proc.stdin.flush()
        paused = until("paused")
        proc.stdin.write('{"command": "resume"}\n'); proc.stdin.flush()
        resumed = until("resumed")
        assert (resumed["epoch"], resumed["batch"]) == (paused["epoch"], paused["batch"])
        until("batches")
        proc.stdin.write("stop\n"); proc.stdin.flush()
        done = until("done")
        assert done["reason"] == "stopped" and done["epochs_run"] < 500
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (tmp_path / "ctl" / "summary.json").exists()


def test_softmax_before_cross_entropy_gets_a_note():
    g = graph_from_data({"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [4]}}, {"id": "fc", "type": "Linear", "params": {"out_features": 3}},
        {"id": "sm", "type": "Softmax"}, {"id": "y", "type": "Output"}],
        "edges": [{"from": "x", "to": "fc"}, {"from": "fc", "to": "sm"}, {"from": "sm", "to": "y"}]})
    obj = choose_objective(g, analyze(g), task="classification", num_classes=3, target_shape=())
    assert obj.loss == "cross_entropy" and "Softmax duplicates" in obj.notes[0]
    with pytest.raises(ObjectiveError) as info:
        choose_objective(g, analyze(g), task="classification", num_classes=10, target_shape=())
    assert info.value.message == "the graph outputs 3 values per sample but the data has 10 classes"
    assert "10" in info.value.fix


def test_out_of_memory_is_reported_with_a_smaller_batch_suggestion(tmp_path, monkeypatch):
    # A real OOM needs a GPU; here the forward pass raises what torch raises on one.
    graph = load_graph(EXAMPLES / "digits_mlp.neurona")
    trainer = Trainer(graph, load_data("digits"), TrainConfig(epochs=1), tmp_path / "oom")

    def boom(x):
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(trainer, "_forward", boom)
    with pytest.raises(TrainingFailed) as info:
        trainer.run()
    assert info.value.code == "out_of_memory" and "--batch-size" in info.value.fix


def test_listener_sees_the_same_events_as_the_stream(tmp_path):
    received = []
    graph = load_graph(EXAMPLES / "xor.neurona")
    Trainer(graph, load_data("xor"), TrainConfig(epochs=3), tmp_path / "r", stream=EventStream(listener=received.append)).run()
    assert [e.kind for e in received][0] == "start" and received[-1].kind == "done"
    assert sum(e.kind == "epoch" for e in received) == 3


def test_start_and_the_last_epoch_event_bracket_the_training(tmp_path, monkeypatch):
    """What the training-throughput benchmark relies on: ``start`` comes once everything is set up
    and before the first batch, each ``epoch`` event after all its epoch does, and the end-of-run
    work after the last one."""
    monkeypatch.setattr(Trainer, "PERSIST_INTERVAL", 1e9)  # no checkpoint until the run ends
    graph = load_graph(EXAMPLES / "digits_mlp.neurona")
    seen = []

    def listener(event):
        if event.kind == "start":
            seen.append(("start", trainer.module is not None and not trainer.optimizer.state))  # no step yet
        elif event.kind == "epoch":
            record = trainer.history[-1]
            weights_kept = not event.best or all(torch.equal(trainer._best_state[k], v)
                                                 for k, v in trainer.module.state_dict().items())
            seen.append(("epoch", record["epoch"] == event.epoch and record["val"] == event.val and weights_kept,
                         (tmp_path / "r" / "last.safetensors").exists(), (tmp_path / "r" / "summary.json").exists()))
        elif event.kind == "done":
            seen.append(("done", (tmp_path / "r" / "last.safetensors").exists()))

    trainer = Trainer(graph, load_data("digits"), TrainConfig(epochs=3), tmp_path / "r",
                      stream=EventStream(listener=listener))
    trainer.run()
    assert seen == [("start", True)] + [("epoch", True, False, False)] * 3 + [("done", True)]


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("xor") / "run"
    proc = run_cli("train", "examples/xor.neurona", "--out", str(run), "--epochs", "2", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return run


@pytest.mark.parametrize("damaged, content, says", [
    ("last.safetensors", b"junk", "last.safetensors cannot be read"),
    ("resume/optimizer.safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}", "optimizer.safetensors cannot be read"),
    ("resume/state.json", b"{", "state.json cannot be read"),
    ("resume/state.json", b'{"epoch": 2, "optimizer": 5}', "does not hold this run's optimizer state"),
])
def test_resuming_from_a_damaged_checkpoint_names_the_file(xor_run, tmp_path, damaged, content, says):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(xor_run, run)
    (run / damaged).write_bytes(content)
    before = {p.name: p.read_bytes() for p in run.rglob("*") if p.is_file()}
    proc = run_cli("train", "examples/xor.neurona", "--out", str(run), "--epochs", "4", "--resume", "--events", "-")
    assert proc.returncode == 2, proc.stderr
    error = json.loads(proc.stdout.strip().splitlines()[-1])
    assert error["event"] == "error" and error["code"] == "config"
    assert says in error["message"] and "without --resume" in error["fix"]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in run.rglob("*") if p.is_file()} == before  # nothing was overwritten


def test_resuming_another_networks_run_says_so(xor_run, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(xor_run, run)
    proc = run_cli("train", "examples/binary_classifier.neurona", "--data", "blobs?features=10", "--out", str(run),
                   "--epochs", "4", "--resume")
    assert proc.returncode == 2
    assert "last.safetensors belong to another network" in proc.stderr and "Traceback" not in proc.stderr
