"""A document's earlier runs come back when it is opened again: listed with their test accuracy,
the newest overlaid on the plots, the others a tick away; another document's runs go."""

import json
import subprocess
import sys

from conftest import EXAMPLES, ROOT


def test_earlier_runs_on_disk_are_listed_and_overlaid(make_window, qtbot, tmp_path):
    src = tmp_path / "xor.neurona"
    src.write_text((EXAMPLES / "xor.neurona").read_text())
    folder = tmp_path / "runs" / "xor"  # where the window puts this document's runs
    names = [f"2026-01-0{i}_10-00-00" for i in range(1, 5)]
    procs = [subprocess.Popen([sys.executable, "-m", "studio", "train", str(src), "--out", str(folder / name),
                               "--epochs", str(2 + i), "--quiet"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for i, name in enumerate(names)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    (folder / "2026-01-05_10-00-00").mkdir()  # a run that never finished: not listed

    w = make_window(src)
    panel = w.training_panel()
    qtbot.waitUntil(lambda: panel.runs.count() == 4, timeout=10_000)
    items = [panel.runs.item(i) for i in range(4)]
    assert [it.text().split(":")[0] for it in items] == names
    accuracy = json.loads((folder / names[0] / "summary.json").read_text())["test"]["accuracy"]
    assert items[0].text() == f"{names[0]}: test accuracy {accuracy:.1%}"
    assert [it.checkState().name for it in items] == ["Unchecked", "Checked", "Checked", "Checked"]
    earlier = panel.plots.earlier
    assert [run["name"] for run in earlier] == names and [run["shown"] for run in earlier] == [False, True, True, True]
    loss_curve = earlier[1]["curves"][0]
    rows = [json.loads(line) for line in (folder / names[1] / "metrics.jsonl").read_text().splitlines()]
    x, y = loss_curve.xData, loss_curve.yData
    assert list(x) == [r["epoch"] * 1.0 for r in rows]  # 4 samples: one batch per epoch
    assert list(y) == [r["val"]["loss"] for r in rows]
    assert loss_curve in panel.plots.loss_plot.listDataItems() and loss_curve.isVisible()
    assert not earlier[0]["curves"][0].isVisible()
    low, high = panel.plots.loss_plot.viewRange()[1]  # the y axis takes the shown curves in
    shown_losses = [v for run in earlier[1:] for v in run["curves"][0].yData]
    assert low <= min(shown_losses) and high >= max(shown_losses)
    items[0].setCheckState(items[0].checkState().Checked)
    assert earlier[0]["curves"][0].isVisible()

    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    assert panel.runs.count() == 5 and panel.runs.item(4).checkState().name == "Checked"
    assert len(panel.plots.earlier) == 5

    other = tmp_path / "other" / "mlp.neurona"
    other.parent.mkdir()
    other.write_text((EXAMPLES / "digits_mlp.neurona").read_text())
    assert w.open_path(other, confirm=False)
    qtbot.waitUntil(lambda: panel.runs.count() == 0, timeout=10_000)
    assert panel.plots.earlier == [] and loss_curve not in panel.plots.loss_plot.listDataItems()
