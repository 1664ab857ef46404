"""Finished runs read back from a document's runs folder (the training panel overlays them when
the document is opened again): real runs of neurona train, and folders that are not runs."""

import json
import shutil

import pytest

from conftest import run_cli
from studio.train.history import finished_runs, read_run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs") / "xor"
    for name, args in (("2026-01-01_10-00-00", ["--epochs", "3"]),
                       ("2026-01-02_10-00-00", ["--epochs", "2", "--mode", "mini-batch", "--batch-size", "3"])):
        proc = run_cli("train", "examples/xor.neurona", "--out", str(folder / name), "--quiet", *args)
        assert proc.returncode == 0, proc.stderr
    return folder


def test_runs_come_back_oldest_first_with_their_curves(runs):
    found = finished_runs(runs)
    assert [r.name for r in found] == ["2026-01-01_10-00-00", "2026-01-02_10-00-00"]
    first, second = found
    rows = [json.loads(line) for line in (runs / first.name / "metrics.jsonl").read_text().splitlines()]
    assert first.epochs == (1, 2, 3) and first.val_loss == tuple(r["val"]["loss"] for r in rows)
    assert first.metric == "accuracy" and first.val_metric == tuple(r["val"]["accuracy"] for r in rows)
    summary = json.loads((runs / first.name / "summary.json").read_text())
    assert first.test == summary["test"] and first.task == "classification"
    # the loss plot counts batches: 4 training samples in one full batch, or in two of 3
    assert (first.batches_per_epoch, second.batches_per_epoch) == (1, 2)


def test_the_newest_are_kept_and_what_is_not_a_finished_run_is_skipped(runs, tmp_path):
    folder = tmp_path / "runs"
    shutil.copytree(runs, folder)
    (folder / "not-a-run").mkdir()  # no summary.json: running, killed, or something else
    (folder / "notes.txt").write_text("hello")
    broken = folder / "2026-01-03_10-00-00"
    shutil.copytree(runs / "2026-01-01_10-00-00", broken)
    (broken / "summary.json").write_text("{")
    cut = folder / "2026-01-04_10-00-00"
    shutil.copytree(runs / "2026-01-01_10-00-00", cut)
    with open(cut / "metrics.jsonl", "a") as f:
        f.write('{"epoch": 4, "val": {"loss": NaN')  # cut short mid-line
    names = [r.name for r in finished_runs(folder)]
    assert names == ["2026-01-01_10-00-00", "2026-01-02_10-00-00", "2026-01-04_10-00-00"]
    assert read_run(cut).epochs == (1, 2, 3)
    assert [r.name for r in finished_runs(folder, limit=2)] == ["2026-01-04_10-00-00"]  # the broken one is skipped
    assert finished_runs(tmp_path / "nothing-here") == [] and finished_runs(folder / "notes.txt") == []
