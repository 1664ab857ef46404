"""Training from the window: does the window stay responsive, and is training started from it
as fast as ``neurona train`` on the command line?

1. Event-loop lateness. The real main window opens the digits CNN example and trains it from
   the Training panel (the engine in a child process, events read on the GUI thread, plots
   redrawn on a 50 ms timer). A 10 ms ``Qt.PreciseTimer`` records how late each tick comes;
   the same probe on the idle window is the baseline. Target: max lateness under 50 ms.
   The probe runs on for half a second after the run ends (showing the results is UI work too).
2. Throughput. The same run (same file, settings and seed) from the window and from
   ``neurona train FILE --out RUN --events PATH`` in a subprocess, alternating; each side's
   figure is the median ``samples_per_second`` of its epoch events. Target: window ≥ 0.95× CLI.
   Five rounds by default: on a shared machine one side's speed moves by a quarter from one run
   to the next, and the median of fewer pairs follows that noise.
   Also printed: the window process's own CPU time while training, as a share of one core.

    .venv/bin/python benchmarks/bench_window_training.py [--quick] [--rounds N] [--epochs N]

Prints a table and a final ``RESULT {json}`` line (like the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATENESS_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.95


def _quantile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


class Probe:
    """A 10 ms precise timer; lateness = how much later than 10 ms after the last tick it fired."""

    def __init__(self):
        from PySide6.QtCore import QTimer, Qt

        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.late: list[float] = []
        self.last = None

    def start(self):
        self.late, self.last = [], time.perf_counter()
        self.timer.start()

    def stop(self):
        self.timer.stop()
        return self.late

    def _tick(self):
        now = time.perf_counter()
        self.late.append(max(0.0, (now - self.last) * 1000 - 10.0))
        self.last = now


def window_run(app, graph_file: Path, epochs: int, workdir: Path):
    """Train from the real window; returns (lateness ms list, idle lateness ms list, samples/s,
    the window process's CPU time over the run as a share of one core)."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from studio.train.events import EpochEnd
    from studio.ui.mainwindow import MainWindow
    from studio.ui.recovery import RecoveryStore

    w = MainWindow(settings=QSettings(str(workdir / "s.ini"), QSettings.IniFormat), recovery=RecoveryStore(workdir / "rec"))
    w.open_path(graph_file, confirm=False)
    w.resize(1280, 800)
    w.show()
    panel = w.training_panel()
    panel.epochs.setValue(epochs)
    w.training_dock.raise_()
    probe = Probe()
    loop = QEventLoop()
    # Let the window settle first: the first paint, the panels built after it and the background
    # imports that warm the training panel.
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    probe.start()
    QTimer.singleShot(1000, loop.quit)  # one second of the idle window
    loop.exec()
    idle = probe.stop()
    speeds = []
    panel.process.event_received.connect(lambda e: isinstance(e, EpochEnd) and speeds.append(e.samples_per_second))
    # The probe runs on for half a second after the end: showing the results is UI work too.
    panel.training_finished.connect(lambda _: QTimer.singleShot(500, loop.quit))
    panel.training_failed.connect(lambda m: (print("training failed:", m), loop.quit()))
    probe.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    w.start_training()
    loop.exec()
    late = probe.stop()
    cpu_share = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    w.doc.undo_stack.setClean()
    w.close()
    w.deleteLater()
    app.processEvents()
    return late, idle, statistics.median(speeds) if speeds else float("nan"), cpu_share


def cli_run(graph_file: Path, epochs: int, workdir: Path) -> float:
    run = workdir / f"cli-{time.time_ns()}"
    events = workdir / f"events-{time.time_ns()}.jsonl"
    proc = subprocess.run([sys.executable, "-m", "studio", "train", str(graph_file), "--out", str(run), "--epochs",
                           str(epochs), "--events", str(events), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"neurona train failed: {proc.stderr.strip()}")
    speeds = [e["samples_per_second"] for e in map(json.loads, events.read_text().splitlines()) if e["event"] == "epoch"]
    return statistics.median(speeds)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 epochs, 1 round")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=None)
    args = ap.parse_args()
    rounds = args.rounds or (1 if args.quick else 5)
    epochs = args.epochs or (2 if args.quick else 12)

    from studio.ui.app import application

    app = application()
    tmp = Path(tempfile.mkdtemp(prefix="bench-window-training-"))
    try:
        graph = tmp / "digits_cnn.neurona"
        shutil.copy(ROOT / "examples" / "digits_cnn.neurona", graph)
        late_all, idle_all, window_speeds, cli_speeds, shares = [], [], [], [], []
        for r in range(rounds):
            order = ("window", "cli") if r % 2 == 0 else ("cli", "window")
            for side in order:
                if side == "window":
                    late, idle, speed, share = window_run(app, graph, epochs, tmp)
                    shares.append(share)
                    late_all += late
                    idle_all += idle
                    window_speeds.append(speed)
                else:
                    cli_speeds.append(cli_run(graph, epochs, tmp))
        ratio = statistics.median(w / c for w, c in zip(window_speeds, cli_speeds))
        result = {
            "benchmark": "window_training", "rounds": rounds, "epochs": epochs,
            "lateness_ms": {"max": max(late_all), "p99": _quantile(late_all, 0.99), "median": statistics.median(late_all),
                            "ticks": len(late_all)},
            "idle_lateness_ms": {"max": max(idle_all), "p99": _quantile(idle_all, 0.99), "ticks": len(idle_all)},
            "window_samples_per_second": window_speeds, "cli_samples_per_second": cli_speeds,
            "throughput_ratio": ratio, "window_cpu_share": statistics.median(shares),
        }
        result["lateness_met"] = result["lateness_ms"]["max"] < LATENESS_TARGET_MS
        result["throughput_met"] = ratio >= THROUGHPUT_TARGET
        lt, il = result["lateness_ms"], result["idle_lateness_ms"]
        print(f"training the digits CNN from the window, {epochs} epochs × {rounds} rounds (QT_QPA_PLATFORM="
              f"{os.environ.get('QT_QPA_PLATFORM')}, {os.cpu_count()} CPUs)")
        print(f"  event-loop lateness while training: max {lt['max']:.1f} ms, p99 {lt['p99']:.1f} ms, median "
              f"{lt['median']:.2f} ms over {lt['ticks']} ticks (idle window: max {il['max']:.1f}, p99 {il['p99']:.1f})"
              f" — target max < {LATENESS_TARGET_MS:.0f} ms: {'met' if result['lateness_met'] else 'NOT met'}")
        print(f"  throughput, samples/s (median of epochs): window {', '.join(f'{v:,.0f}' for v in window_speeds)};"
              f" CLI {', '.join(f'{v:,.0f}' for v in cli_speeds)}")
        print(f"  the window process itself used {result['window_cpu_share']:.0%} of one core while training "
              f"(median of rounds; reading events, redrawing plots, the probe)")
        print(f"  window / CLI = {ratio:.3f} (median of paired rounds) — target ≥ {THROUGHPUT_TARGET}: "
              f"{'met' if result['throughput_met'] else 'NOT met'}")
        print("RESULT " + json.dumps(result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
