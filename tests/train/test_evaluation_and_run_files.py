"""Metrics reduced on the device agree with scikit-learn; what a run writes while it trains
(metrics.jsonl, the start files, the event stream) is whole and complete; the best-epoch weights
are copied in place, by name."""

import json

import numpy as np
import pytest
import torch
from sklearn import metrics as skm

from digits_fixtures import digits, mlp  # noqa: F401 (fixtures)
from studio.train import TrainConfig, Trainer, TrainingFailed
from studio.train import events as ev
from studio.train.evaluation import evaluate_tensors
from studio.train.metrics import classification_metrics, regression_metrics
from studio.train.objective import Objective, build_loss


def _classifier(k: int, loss: str = "cross_entropy") -> Objective:
    binary = k == 2 and loss.startswith("bce")
    return Objective(loss, "classification", "y", (1,) if binary else (k,), k, binary)


def _evaluate(objective, outputs, y, names, **kw):
    module = torch.nn.Identity()  # the "network" hands back fixed outputs: metrics only
    return evaluate_tensors(module, lambda x: x, objective, build_loss(objective.loss), outputs, y, names, **kw)


@pytest.mark.parametrize("batch_size", [1024, 7])  # one chunk, and many (the last one short)
def test_device_classification_metrics_equal_scikit_learn(batch_size):
    rng = np.random.default_rng(3)
    logits = torch.as_tensor(rng.normal(size=(300, 5)), dtype=torch.float32)
    y = torch.as_tensor(rng.integers(0, 4, 300))  # class 4 never occurs: macro averages skip it
    names = list("abcde")
    pred = logits.argmax(1).numpy()
    full = _evaluate(_classifier(5), logits, y, names, batch_size=batch_size)
    quick = _evaluate(_classifier(5), logits, y, names, batch_size=batch_size, detail=False)
    assert set(quick) == {"loss", "accuracy", "precision", "recall", "f1"}
    prec, rec, f1, _ = skm.precision_recall_fscore_support(y.numpy(), pred, labels=[0, 1, 2, 3], average="macro",
                                                           zero_division=0)
    for m in (full, quick):
        assert m["accuracy"] == pytest.approx(skm.accuracy_score(y.numpy(), pred), abs=1e-12)
        assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((prec, rec, f1), abs=1e-12)
        assert m["loss"] == pytest.approx(float(torch.nn.functional.cross_entropy(logits, y)), rel=1e-6)
    assert full["confusion_matrix"] == skm.confusion_matrix(y.numpy(), pred, labels=range(5)).tolist()
    reference = classification_metrics(y.numpy(), pred, names)  # the NumPy path on host predictions
    assert full["per_class"] == reference["per_class"] and full["class_names"] == names
    assert full["per_class"]["e"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_many_classes_are_reduced_on_the_device_to_the_same_figures():
    # 70 classes: more confusion-matrix cells than an epoch's validation reads whole (HOST_CELLS)
    from studio.train.evaluation import HOST_CELLS, SplitEvaluation

    rng = np.random.default_rng(5)
    k = 70
    assert k * k > HOST_CELLS
    logits = torch.as_tensor(rng.normal(size=(500, k)), dtype=torch.float32)
    y = torch.as_tensor(rng.integers(0, k - 3, 500))  # some classes never occur
    names = [f"c{i}" for i in range(k)]
    evaluation = SplitEvaluation(_classifier(k), build_loss("cross_entropy"), logits, y, names, batch_size=128)
    module = torch.nn.Identity()
    full = evaluation(module, lambda x: x)
    quick = [evaluation(module, lambda x: x, detail=False) for _ in range(2)]  # prepared once, used again
    assert quick[0] == quick[1]
    assert quick[0] == pytest.approx({key: full[key] for key in quick[0]}, abs=1e-12)
    prec, rec, f1, _ = skm.precision_recall_fscore_support(y.numpy(), logits.argmax(1).numpy(), labels=np.unique(y),
                                                           average="macro", zero_division=0)
    assert (quick[0]["precision"], quick[0]["recall"], quick[0]["f1"]) == pytest.approx((prec, rec, f1), abs=1e-12)


def test_device_binary_metrics_use_the_logit_threshold():
    logits = torch.tensor([[2.0], [-1.0], [0.5], [-3.0], [0.1]])
    y = torch.tensor([[1.0], [0.0], [0.0], [1.0], [1.0]])
    m = _evaluate(_classifier(2, "bce_with_logits"), logits, y, ["no", "yes"])
    truth, pred = y.reshape(-1).long().numpy(), (logits.reshape(-1) > 0).long().numpy()
    assert m["confusion_matrix"] == skm.confusion_matrix(truth, pred).tolist()
    assert m["f1"] == pytest.approx(skm.f1_score(truth, pred, average="macro"))


@pytest.mark.parametrize("batch_size", [1024, 16])
def test_device_regression_metrics_equal_scikit_learn(batch_size):
    rng = np.random.default_rng(4)
    t = rng.normal(size=(100, 3)).astype(np.float32)
    p = (t + rng.normal(scale=0.4, size=t.shape)).astype(np.float32)
    objective = Objective("mse", "regression", "y", (3,), None, False)
    m = _evaluate(objective, torch.as_tensor(p), torch.as_tensor(t), None, batch_size=batch_size)
    t, p = t.astype(np.float64), p.astype(np.float64)  # the same values, and scikit-learn in float64 as we are
    assert m["mse"] == pytest.approx(skm.mean_squared_error(t, p), rel=1e-9)
    assert m["mae"] == pytest.approx(skm.mean_absolute_error(t, p), rel=1e-9)
    assert m["r2"] == pytest.approx(skm.r2_score(t, p, multioutput="variance_weighted"), rel=1e-9)
    assert m["rmse"] == pytest.approx(m["mse"] ** 0.5)
    assert {k: m[k] for k in ("mse", "mae", "r2")} == pytest.approx(
        {k: v for k, v in regression_metrics(t, p).items() if k != "rmse"}, rel=1e-9)
    assert m["loss"] == pytest.approx(m["mse"], rel=1e-6)


def test_evaluation_restores_the_mode_unless_told_not_to():
    module = torch.nn.Linear(3, 2)
    x, y = torch.zeros(4, 3), torch.zeros(4, dtype=torch.long)
    for restore, after in ((True, True), (False, False)):
        module.train()
        evaluate_tensors(module, module, _classifier(2), build_loss("cross_entropy"), x, y, ["a", "b"],
                         restore_mode=restore)
        assert module.training is after


def _lines(path):
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")  # whole lines only
    return [json.loads(line) for line in text.splitlines()]


def test_metrics_file_is_complete_and_whole_while_and_after_training(mlp, digits, tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "PERSIST_INTERVAL", 0.0)  # write with every epoch's checkpoint
    seen = []

    def listener(event):
        if event.kind == "epoch":  # a reader of the run directory during training
            seen.append([line["epoch"] for line in _lines(tmp_path / "metrics.jsonl")])

    result = Trainer(mlp, digits, TrainConfig(epochs=4), tmp_path, stream=ev.EventStream(listener=listener)).run()
    assert seen == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]
    assert _lines(tmp_path / "metrics.jsonl") == json.loads(json.dumps(result.history))


def test_metrics_file_is_written_at_the_end_when_checkpoints_are_rare(mlp, digits, tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "PERSIST_INTERVAL", 1e9)
    result = Trainer(mlp, digits, TrainConfig(epochs=3), tmp_path).run()
    assert [line["epoch"] for line in _lines(tmp_path / "metrics.jsonl")] == [1, 2, 3]
    assert [line["val"] for line in _lines(tmp_path / "metrics.jsonl")] == [h["val"] for h in result.history]
    assert set(result.history[0]["val"]) == {"loss", "accuracy", "precision", "recall", "f1"}


def test_metrics_file_keeps_the_finished_epochs_when_a_run_fails(mlp, digits, tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "PERSIST_INTERVAL", 1e9)
    trainer = Trainer(mlp, digits, TrainConfig(epochs=5), tmp_path)
    real = trainer._validate
    calls = []

    def failing():
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the device fell over")
        return real()

    monkeypatch.setattr(trainer, "_validate", failing)
    with pytest.raises(RuntimeError, match="fell over"):
        trainer.run()
    assert [line["epoch"] for line in _lines(tmp_path / "metrics.jsonl")] == [1, 2]
    assert (tmp_path / "graph.neurona").exists() and (tmp_path / "data.json").exists()


def test_a_start_file_that_cannot_be_written_fails_the_run(mlp, digits, tmp_path):
    (tmp_path / "config.json").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        Trainer(mlp, digits, TrainConfig(epochs=1), tmp_path).run()


class _Sink:
    """A text file that remembers where each flush fell."""

    def __init__(self):
        self.text, self.flushed_at = "", set()

    def write(self, text):
        self.text += text

    def flush(self):
        self.flushed_at.add(len(self.text))

    def held(self) -> list[bool]:
        """For each epoch: was its last batches line held back for its epoch line?"""
        lines = self.text.splitlines(keepends=True)
        ends = [sum(map(len, lines[:i + 1])) for i in range(len(lines))]
        assert self.flushed_at <= set(ends) and ends[-1] in self.flushed_at  # whole lines, all of them out
        kinds = [json.loads(line)["event"] for line in lines]
        return [ends[i] not in self.flushed_at for i in range(len(kinds) - 1)
                if kinds[i] == "batches" and kinds[i + 1] == "epoch"]


def test_an_epochs_last_losses_go_out_with_its_epoch_line_after_a_quick_validation(mlp, digits, tmp_path,
                                                                                   monkeypatch):
    # What counts as quick is widened, and the batch groups with it, so that a loaded machine can
    # neither make this validation slow nor end a group exactly on an epoch's last batch.
    monkeypatch.setattr(Trainer, "QUICK_VALIDATION", 60.0)
    monkeypatch.setattr(ev.EventStream, "BATCH_INTERVAL", 60.0)
    sink = _Sink()
    Trainer(mlp, digits, TrainConfig(epochs=3), tmp_path, stream=ev.EventStream(sink)).run()
    assert sink.held() == [False, True, True]  # the first epoch cannot know how long validation takes


def test_a_slow_validation_does_not_hold_the_losses_back(mlp, digits, tmp_path, monkeypatch):
    import time

    sink = _Sink()
    trainer = Trainer(mlp, digits, TrainConfig(epochs=3), tmp_path, stream=ev.EventStream(sink))
    real = trainer._validate

    def slow():
        time.sleep(ev.EventStream.BATCH_INTERVAL * 1.5)
        return real()

    monkeypatch.setattr(trainer, "_validate", slow)
    trainer.run()
    assert sink.held() == [False, False, False]


def test_unflushed_events_wait_for_the_next_emit():
    class Sink:
        def __init__(self):
            self.lines, self.flushes = [], 0

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            self.flushes += 1

    sink = Sink()
    stream = ev.EventStream(sink)
    stream.emit(ev.BatchLosses(1, 1, [0.5], 0, 10.0, 1.0), flush=False)
    assert sink.flushes == 0 and len(sink.lines) == 1
    stream.emit(ev.EpochEnd(1, 1, {"loss": 0.5}, {}, 0.1, 1.0, 10.0, 0.0, True))
    assert sink.flushes == 1 and len(sink.lines) == 2


def test_to_json_matches_the_cleaned_dict_for_finite_and_non_finite_values():
    for event in (ev.BatchLosses(1, 1, [0.5, float("nan")], 0, 10.0, None),
                  ev.EpochEnd(1, 2, {"loss": float("inf")}, {"loss": 0.3}, 0.1, 1.0, 5.0, 0.5, False),
                  ev.Done("completed", 2, 1, 3.0, "r", {"confusion_matrix": [[1, 0], [0, 1]]})):
        assert json.loads(event.to_json()) == event.to_dict()
        assert event.to_json() == json.dumps(event.to_dict(), separators=(",", ":"), allow_nan=False)


def test_best_weights_are_copied_in_place_by_name(mlp, digits, tmp_path):
    trainer = Trainer(mlp, digits, TrainConfig(epochs=1), tmp_path)
    trainer.prepare()
    trainer._remember_best()
    buffers = dict(trainer._best_state)
    with torch.no_grad():
        for p in trainer.module.parameters():
            p.add_(1.0)
    trainer._best_state = dict(reversed(list(buffers.items())))  # as a resumed run loads them: another order
    trainer._remember_best()
    live = trainer.module.state_dict()
    for key, tensor in trainer._best_state.items():
        assert tensor is buffers[key]  # the same buffers, overwritten
        assert torch.equal(tensor, live[key]) and tensor.data_ptr() != live[key].data_ptr()


def test_the_run_ends_with_the_best_weights_and_they_are_on_disk(mlp, digits, tmp_path):
    from safetensors.torch import load_file

    # A huge learning rate: validation loss soon stops improving, so best and last differ.
    trainer = Trainer(mlp, digits, TrainConfig(epochs=6, optimizer="sgd", lr=2.0), tmp_path)
    result = trainer.run()
    best = load_file(str(tmp_path / "best.safetensors"))
    last = load_file(str(tmp_path / "last.safetensors"))
    live = trainer.module.state_dict()
    assert set(best) == set(last) == set(live)
    assert all(torch.equal(best[k], live[k]) for k in best)  # the test split was scored with these
    assert result.best_epoch < result.epochs_run and any(not torch.equal(best[k], last[k]) for k in best)


def test_held_losses_go_out_before_a_checkpoint_is_written(mlp, digits, tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "PERSIST_INTERVAL", 0.0)  # a checkpoint after every epoch
    sink = _Sink()
    Trainer(mlp, digits, TrainConfig(epochs=3), tmp_path, stream=ev.EventStream(sink)).run()
    assert sink.held() == [False, False, False]


@pytest.mark.parametrize("every_batch", [False, True])  # one flush per epoch, or one per batch
def test_train_loss_and_accuracy_are_the_models_own_when_the_weights_stand_still(mlp, digits, tmp_path, monkeypatch,
                                                                                 every_batch):
    # With a vanishing learning rate every batch sees the starting weights, so the epoch's train
    # loss and accuracy, counted batch by batch on the device, are those of the starting model.
    monkeypatch.setattr(ev.EventStream, "BATCH_INTERVAL", 0.0 if every_batch else 1e9)
    seen = []
    trainer = Trainer(mlp, digits, TrainConfig(epochs=2, optimizer="sgd", lr=1e-12), tmp_path,
                      stream=ev.EventStream(listener=seen.append))
    trainer.prepare()
    with torch.no_grad():
        out = trainer.module(trainer.x["train"])
        loss = float(torch.nn.functional.cross_entropy(out, trainer.y["train"]))
        accuracy = float((out.argmax(1) == trainer.y["train"]).double().mean())
    result = trainer.run()
    nb = seen[0].batches_per_epoch
    batches = [e for e in seen if e.kind == "batches"]
    # one group per epoch, and the run's first batch alone before it (it goes out at once)
    assert len(batches) == (2 * nb if every_batch else 3) and sum(len(b.losses) for b in batches) == 2 * nb
    for record in result.history:
        assert record["train"]["accuracy"] == pytest.approx(accuracy, abs=1e-12)
        assert record["train"]["loss"] == pytest.approx(loss, rel=1e-5)


@pytest.mark.parametrize("interval", [0.0, 1e9])  # the NaN alone in its group, or among the epoch's losses
def test_a_nan_loss_names_its_epoch_and_batch(mlp, digits, tmp_path, monkeypatch, interval):
    import studio.train.trainer as trainer_module

    real = trainer_module.build_loss

    def build(name):
        fn, calls = real(name), []

        def loss(out, y):
            calls.append(1)
            return fn(out, y) * (float("nan") if len(calls) == 3 else 1.0)

        return loss

    monkeypatch.setattr(trainer_module, "build_loss", build)
    monkeypatch.setattr(ev.EventStream, "BATCH_INTERVAL", interval)
    with pytest.raises(TrainingFailed) as info:
        Trainer(mlp, digits, TrainConfig(epochs=2), tmp_path).run()
    assert info.value.code == "nan" and "at epoch 1, batch 3:" in info.value.message
