"""Start → first loss point: how long a learner waits, after pressing Start in the window, for the
first batch-loss point of the XOR, moons and digits MLP networks.

The real main window (offscreen) opens each network and trains it from its Training panel; the
time is from ``start_training()`` (what the Start button calls) to the panel having handled the
run's first ``batches`` event (the point is in the loss plot; it is painted on the plot's next
redraw). The run is then stopped, and the next one started once the window is idle again.

Two sides take turns, in the same window, round after round:

- cold: the warm training process is ended before Start, so Start starts a fresh process that
  imports torch and the engine before it trains: what every Start did before the warm process
  (``neurona train`` in a new child each time). The first run of a session is this one.
- warm: Start again, right after a cold run: the process that ran it is still there, with torch
  loaded, and takes the run at once.

Printed per network: the median of each side, warm ÷ cold (median of the paired rounds), and the
target: warm ≤ 0.2 s (TensorFlow Playground shows its first epoch 0.06–0.13 s after Play on
this machine).

    .venv/bin/python benchmarks/bench_start_latency.py [--quick] [--rounds N] [--networks xor,moons,digits]

Prints a table and a final ``RESULT {json}`` line (like the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 0.2

MOONS_MLP = {
    "format": "neurona-graph", "version": 1, "name": "moons_mlp",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [2]}, "position": [0, 0]},
        {"id": "h1", "type": "Linear", "params": {"out_features": 16}, "position": [220, 0]},
        {"id": "a1", "type": "ReLU", "position": [440, 0]},
        {"id": "h2", "type": "Linear", "params": {"out_features": 16}, "position": [660, 0]},
        {"id": "a2", "type": "ReLU", "position": [880, 0]},
        {"id": "o", "type": "Linear", "params": {"out_features": 1}, "position": [1100, 0]},
        {"id": "y", "type": "Output", "position": [1320, 0]},
    ],
    "edges": [{"from": a, "to": b} for a, b in (("x", "h1"), ("h1", "a1"), ("a1", "h2"), ("h2", "a2"), ("a2", "o"),
                                                ("o", "y"))],
    "training": {"data": "moons", "epochs": 100, "batch_size": 32, "optimizer": "adam", "lr": 0.01},
}


def networks(folder: Path) -> dict[str, Path]:
    files = {"xor": folder / "xor.neurona", "moons": folder / "moons_mlp.neurona",
             "digits": folder / "digits_mlp.neurona"}
    shutil.copy(ROOT / "examples" / "xor.neurona", files["xor"])
    shutil.copy(ROOT / "examples" / "digits_mlp.neurona", files["digits"])
    files["moons"].write_text(json.dumps(MOONS_MLP, indent=2), encoding="utf-8")
    return files


def _wait(app, condition, timeout_s: float = 300.0) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.002)


def _settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def first_point(app, window) -> tuple[float, float]:
    """Press Start; seconds until the panel has handled the first batch losses, and of those the
    seconds Start itself took in the window; then stop the run and wait until it has ended."""
    from studio.train.events import BatchLosses

    panel = window.training_panel()
    process = panel.process
    seen: list[float] = []
    ended: list[str] = []

    def on_event(event):  # connected after the panel's own slot: runs once the panel handled it
        if isinstance(event, BatchLosses) and not seen:
            seen.append(time.perf_counter())
            process.stop()

    process.event_received.connect(on_event)
    panel.training_finished.connect(lambda _: ended.append("done"))
    panel.training_failed.connect(lambda m: ended.append(f"failed: {m}"))
    try:
        t0 = time.perf_counter()
        if not window.start_training():
            raise SystemExit(f"Start was refused: {panel.message.text()}")
        in_window = time.perf_counter() - t0
        _wait(app, lambda: bool(seen) or bool(ended))
        if not seen:
            raise SystemExit(f"the run ended before its first point: {ended}")
        _wait(app, lambda: not process.running)
        if ended and ended[0].startswith("failed"):
            raise SystemExit(f"the run failed: {ended[0]}")
        return seen[0] - t0, in_window
    finally:
        process.event_received.disconnect(on_event)
        panel.training_finished.disconnect()
        panel.training_failed.disconnect()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round, XOR only")
    ap.add_argument("--rounds", type=int, default=None, help="cold + warm pairs per network (default 5)")
    ap.add_argument("--networks", default=None, help="comma-separated: xor, moons, digits")
    args = ap.parse_args()
    rounds = args.rounds or (1 if args.quick else 5)
    chosen = (args.networks or ("xor" if args.quick else "xor,moons,digits")).split(",")

    from PySide6.QtCore import QSettings

    from studio.ui.app import application
    from studio.ui.mainwindow import MainWindow
    from studio.ui.recovery import RecoveryStore

    app = application()
    tmp = Path(tempfile.mkdtemp(prefix="bench-start-latency-"))
    started = time.perf_counter()
    results: dict[str, dict] = {}
    try:
        files = networks(tmp)
        for name in chosen:
            w = MainWindow(settings=QSettings(str(tmp / f"{name}.ini"), QSettings.IniFormat),
                           recovery=RecoveryStore(tmp / f"rec-{name}"))
            w.open_path(files[name], confirm=False)
            w.resize(1280, 800)
            w.show()
            w.training_panel()
            _settle(app, 2.0)  # the first paint, the panels built after it, the background imports
            process = w.training.process
            cold, warm, pids, in_window = [], [], [], []
            for _ in range(rounds):
                process.shutdown()  # cold: no process waits with torch loaded
                _settle(app, 0.3)
                cold.append(first_point(app, w)[0])
                pid = process.pid
                _settle(app, 0.3)
                latency, start_s = first_point(app, w)
                warm.append(latency)
                in_window.append(start_s)
                if process.pid != pid:
                    raise SystemExit("the warm run did not reuse the process of the run before")
                pids.append(pid)
                _settle(app, 0.3)
            ratios = [wv / cv for wv, cv in zip(warm, cold)]
            results[name] = {"cold_s": cold, "warm_s": warm, "cold_median_s": statistics.median(cold),
                             "warm_median_s": statistics.median(warm), "warm_over_cold": statistics.median(ratios),
                             "warm_max_s": max(warm), "start_in_window_median_s": statistics.median(in_window),
                             "meets_target": statistics.median(warm) <= TARGET_S}
            w.training.process.shutdown()
            w.doc.undo_stack.setClean()
            w.close()
            w.deleteLater()
            app.processEvents()
        print(f"Start → first batch-loss point handled by the training panel, {rounds} round(s) of a cold and a "
              f"warm Start (QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}, {os.cpu_count()} CPUs)")
        print(f"  {'network':<8} {'cold (fresh process)':>22} {'warm (process kept)':>21} {'warm/cold':>10}  "
              f"target warm ≤ {TARGET_S} s")
        for name, r in results.items():
            print(f"  {name:<8} {r['cold_median_s']:>20.3f} s {r['warm_median_s']:>19.3f} s {r['warm_over_cold']:>10.3f}  "
                  f"{'met' if r['meets_target'] else 'NOT met'} (warm max {r['warm_max_s']:.3f} s; Start itself "
                  f"{r['start_in_window_median_s'] * 1000:.0f} ms in the window)")
        result = {"benchmark": "start_latency", "rounds": rounds, "target_s": TARGET_S, "networks": results,
                  "all_meet_target": all(r["meets_target"] for r in results.values()),
                  "elapsed_s": time.perf_counter() - started}
        print("RESULT " + json.dumps(result, sort_keys=True))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
