"""Training throughput of the engine (events on) vs a hand-written PyTorch loop.

Same model (the example graph; the loop gets its own hand-written nn.Module with the same
layers), same data (the digits split the engine uses, as in-memory tensors), same batch size,
optimiser (Adam 1e-3) and number of epochs. The hand-written loop is what a careful learner
writes: index batching on in-memory tensors, the epoch's training loss summed on the device and
read once, and after every epoch a validation pass (loss and accuracy) and one printed line.
The engine does all it always does: batch losses grouped into events, train accuracy, full
validation metrics each epoch, best-epoch tracking, an event stream written to a file, one
metrics line per epoch, the run files, checkpoints and a test evaluation at the end.
benchmarks/README.md lists both sides exactly.

The headline is the throughput of the epochs: training samples ÷ the time from the first batch
of epoch 1 to the end of the last epoch (its validation, bookkeeping and events included). For
the engine those marks are its own ``start`` event (emitted just before the first batch) and its
last ``epoch`` event (emitted after everything that epoch does), read by a listener on its
event stream; for the loop, the steps of a generator. The one-off costs around the epochs are
reported apart, in milliseconds (the engine's set-up and start files before ``start``, its end
after the last ``epoch``: checkpoints, test scoring, summary; the loop's set-up), and the
whole-run ratio beside them.

Two measurements each round, each with an A/A control (the loop against itself, the noise
floor). Taking turns (the headline): the engine runs, and its ``start`` event runs the loop's
set-up and each ``epoch`` event one epoch of the loop, so the two share the machine's ups and
downs; each side's time is its own share of the wall clock. Separate runs: the engine, the loop
and the loop again, in an order that rotates through every permutation. Each figure is the
median over rounds of the paired ratio loop time ÷ engine time (= engine throughput ÷ loop
throughput; 1.00 means as fast), with a distribution-free 95% confidence interval.

    python benchmarks/bench_train.py [--quick] [--rounds N] [--networks mlp,cnn]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stats import median_ci, quantile  # noqa: E402  (benchmarks/stats.py)
from studio.data import load_data  # noqa: E402
from studio.layers import load_graph  # noqa: E402
from studio.train import TrainConfig, Trainer  # noqa: E402
from studio.train.events import EventStream  # noqa: E402

TARGET = 0.97  # for the epochs' throughput
BATCH, LR = 64, 1e-3


class DigitsMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense1, self.relu1 = nn.Linear(64, 128), nn.ReLU()
        self.dense2, self.relu2 = nn.Linear(128, 64), nn.ReLU()
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(self.relu2(self.dense2(self.relu1(self.dense1(x)))))


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1, self.relu1 = nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2, self.relu2, self.pool2 = nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.dense1, self.relu3, self.drop = nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.25)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))  # (B, 16, 4, 4)
        x = self.flat(self.pool2(self.relu2(self.conv2(x))))  # (B, 128)
        return self.out(self.drop(self.relu3(self.dense1(x))))


NETWORKS = {"mlp": ("digits_mlp.neurona", DigitsMLP), "cnn": ("digits_cnn.neurona", DigitsCNN)}


def hand_written_epochs(model_cls, splits, shape, epochs, batch_size, lr, seed, log):
    """The hand-written loop as a generator: yields None once set up, then after each epoch
    (training loss, validation loss, validation accuracy), the line it prints to ``log``."""
    torch.manual_seed(seed)
    model = model_cls()
    x = torch.as_tensor(splits.train.x).reshape((-1,) + shape)
    y = torch.as_tensor(splits.train.y)
    xv = torch.as_tensor(splits.val.x).reshape((-1,) + shape)
    yv = torch.as_tensor(splits.val.y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = len(x)
    yield None
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(n)
        total = torch.zeros(())  # the epoch's summed loss, on the device: read once per epoch
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
        train_loss = total.item() / n
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            val_acc = (out.argmax(1) == yv).float().mean().item()
        print(f"epoch {epoch}: loss {train_loss:.4f}  val_loss {val_loss:.4f}  val_acc {val_acc:.3f}", file=log)
        yield train_loss, val_loss, val_acc


def engine(graph, splits, epochs, batch_size, lr, seed, run_dir, sink, listener=None):
    cfg = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, optimizer="adam")
    result = Trainer(graph, splits, cfg, run_dir, stream=EventStream(sink, listener)).run()
    return result.history[-1]["val"]["accuracy"]


class EngineClock:
    """A listener on the engine's event stream that marks where its epochs begin (the ``start``
    event, emitted just before the first batch) and end (the last ``epoch`` event, emitted after
    all that epoch does). ``turn``, when given, runs at each of those events (the loop's set-up,
    then one of its epochs); its time is counted in ``away`` and left out of the engine's marks."""

    def __init__(self, epochs: int, turn: Callable[[], None] | None = None) -> None:
        self.epochs, self.turn = epochs, turn
        self.away = 0.0
        self.start = self.end = None

    def now(self) -> float:
        """The engine's own clock: wall time less the time spent in ``turn``."""
        return time.perf_counter() - self.away

    def __call__(self, event) -> None:
        if event.kind == "start":
            self.start = self.now()
        elif event.kind == "epoch":
            if event.epoch == self.epochs:
                self.end = self.now()
        else:
            return
        if self.turn is not None:
            t0 = time.perf_counter()
            self.turn()
            self.away += time.perf_counter() - t0


class LoopClock:
    """Runs the hand-written loop one step at a time, timing its set-up and its epochs."""

    def __init__(self, steps) -> None:
        self.steps = steps
        self.setup = self.epochs = 0.0
        self.last = None
        self.started = False

    def step(self) -> None:
        t0 = time.perf_counter()
        got = next(self.steps)
        seconds = time.perf_counter() - t0
        if self.started:
            self.epochs += seconds
            self.last = got
        else:
            self.setup, self.started = seconds, True

    def finish(self) -> "LoopClock":
        for _ in self.steps:  # the generator ends: nothing more to time
            pass
        return self

    def times(self) -> dict[str, float]:
        return {"setup": self.setup, "epochs": self.epochs, "whole": self.setup + self.epochs}


class Sides:
    """The timed runs of one network; each returns its times (seconds) and final validation
    accuracy. The harness's own work (``gc.collect``, opening the events and log files, removing
    the run folder) is untimed."""

    def __init__(self, name: str, splits, epochs: int, tmp: Path) -> None:
        file, self.model_cls = NETWORKS[name]
        self.graph = load_graph(ROOT / "examples" / file)
        self.shape = tuple(self.graph.nodes["x"].params["shape"])
        self.splits = splits.adapt(self.shape, "float32")
        self.epochs = epochs
        self.events, self.run_dir, self.tmp, self.name = tmp / f"{name}.jsonl", tmp / f"{name}-run", tmp, name
        self._logs: list = []

    def loop(self, seed) -> LoopClock:
        path = self.tmp / f"{self.name}-loop{len(self._logs)}.log"
        log = open(path, "w", encoding="utf-8", buffering=1)  # line-buffered, like a terminal
        self._logs.append(log)
        return LoopClock(hand_written_epochs(self.model_cls, self.splits, self.shape, self.epochs, BATCH, LR, seed,
                                             log))

    def close_logs(self) -> None:
        for log in self._logs:
            log.close()
        self._logs.clear()

    def engine(self, seed, turn=None) -> tuple[dict[str, float], float]:
        clock = EngineClock(self.epochs, turn)
        with open(self.events, "w", encoding="utf-8") as sink:
            gc.collect()
            t0 = time.perf_counter()
            acc = engine(self.graph, self.splits, self.epochs, BATCH, LR, seed, self.run_dir, sink, clock)
            t1 = clock.now()
        shutil.rmtree(self.run_dir)
        times = {"start": clock.start - t0, "epochs": clock.end - clock.start, "end": t1 - clock.end,
                 "whole": t1 - t0}
        return times, acc

    def hand(self, seed) -> tuple[dict[str, float], float]:
        loop = self.loop(seed)
        gc.collect()
        loop.step()
        for _ in range(self.epochs):
            loop.step()
        loop.finish()
        self.close_logs()
        return loop.times(), loop.last[2]

    def turns(self, seed) -> tuple[dict[str, float], dict[str, float]]:
        """The engine's run with the loop taking a turn at each of its events: the loop's set-up at
        ``start``, one loop epoch at each ``epoch``. (engine times, loop times)."""
        loop = self.loop(seed)
        engine_times, _ = self.engine(seed, loop.step)
        loop.finish()
        self.close_logs()
        return engine_times, loop.times()

    def turns_control(self, seed) -> tuple[dict[str, float], dict[str, float]]:
        """Two copies of the loop taking turns the same way: the A/A control of ``turns``."""
        a, b = self.loop(seed), self.loop(seed)
        gc.collect()
        for _ in range(self.epochs + 1):
            a.step()
            b.step()
        a.finish(), b.finish()
        self.close_logs()
        return a.times(), b.times()


def summary(ratios: list[float], control: list[float]) -> dict:
    lo, hi = median_ci(ratios)
    ratio = statistics.median(ratios)
    return {
        "ratio": ratio,
        "ratio_ci95": [lo, hi],
        "ratio_q1": quantile(ratios, 0.25),
        "ratio_q3": quantile(ratios, 0.75),
        "ratios": ratios,
        "control_ratio": statistics.median(control),
        "control_ratio_ci95": list(median_ci(control)),
        # "met": median ≥ target; "within noise": below, but the 95% CI reaches it; "not met":
        # the whole CI lies below the target; "unreliable": the A/A control shows the machine
        # was too noisy to tell (more than 2% off 1.0, or its CI wider than 0.1).
        "verdict": "met" if ratio >= TARGET else ("within noise" if hi >= TARGET else "not met"),
    }


def reliable(r: dict) -> bool:
    lo, hi = r["control_ratio_ci95"]
    return abs(r["control_ratio"] - 1) <= 0.02 and hi - lo <= 0.1


def bench_network(name: str, splits, *, rounds: int, warmup: int, epochs: int, tmp: Path) -> dict:
    sides = Sides(name, splits, epochs, tmp)
    samples = len(sides.splits.train) * epochs  # training samples per run, the same for every side
    runs = {"engine": sides.engine, "hand": sides.hand, "control": sides.hand}
    orders = list(itertools.permutations(runs))  # every order in turn: no side is always first
    # times[measurement][side] = one dict of seconds per round
    times: dict[str, dict[str, list[dict[str, float]]]] = {
        "separate": {"engine": [], "hand": [], "control": []},
        "turns": {"engine": [], "hand": []},
        "turns_control": {"a": [], "b": []},
    }
    accuracy: dict[str, list[float]] = {"engine": [], "hand": []}
    for i in range(warmup + rounds):  # the round's seed for every side
        got = {side: runs[side](i) for side in orders[i % len(orders)]}
        pair = [("turns", lambda: sides.turns(i)), ("turns_control", lambda: sides.turns_control(i))]
        done = dict((key, call()) for key, call in (pair if i % 2 == 0 else pair[::-1]))
        if i < warmup:
            continue
        for side, (seconds, _) in got.items():
            times["separate"][side].append(seconds)
        for key, names in (("turns", ("engine", "hand")), ("turns_control", ("a", "b"))):
            for side, seconds in zip(names, done[key]):
                times[key][side].append(seconds)
        # Separate runs with the same seed train exactly alike; taking turns, the two share torch's
        # random generator (other shuffles and dropout masks), so only separate runs are compared.
        accuracy["engine"].append(got["engine"][1])
        accuracy["hand"].append(got["hand"][1])

    def series(measurement: str, side: str, part: str) -> list[float]:
        return [t[part] for t in times[measurement][side]]

    def ratios(measurement: str, num: str, den: str, part: str) -> list[float]:
        return [a / b for a, b in zip(series(measurement, num, part), series(measurement, den, part))]

    def measure(measurement: str, engine: str, hand: str, a: str, b: str, control_of: str, part: str) -> dict:
        r = summary(ratios(measurement, hand, engine, part), ratios(control_of, b, a, part))
        r.update(engine_s=statistics.median(series(measurement, engine, part)),
                 hand_s=statistics.median(series(measurement, hand, part)))
        if part == "epochs":
            r.update(engine_samples_per_s=samples / r["engine_s"], hand_samples_per_s=samples / r["hand_s"])
        if measurement == "separate":
            # Load from other work only ever adds time, so each side's fastest run is one more
            # reading of the same ratio (with its own A/A control).
            fastest = {s: min(series(measurement, s, part)) for s in ("engine", "hand", "control")}
            r.update(engine_s_min=fastest["engine"], hand_s_min=fastest["hand"],
                     ratio_of_fastest=fastest["hand"] / fastest["engine"],
                     control_ratio_of_fastest=fastest["hand"] / fastest["control"])
        if not reliable(r):
            r["verdict"] = "unreliable"
        return r

    throughput = measure("turns", "engine", "hand", "a", "b", "turns_control", "epochs")  # the headline
    engine_runs = times["turns"]["engine"] + times["separate"]["engine"]
    one_off = {}
    for key, side_runs, part in (("engine_start", engine_runs, "start"), ("engine_end", engine_runs, "end"),
                                 ("hand_setup", times["turns"]["hand"] + times["separate"]["hand"], "setup")):
        values = [t[part] * 1e3 for t in side_runs]
        one_off[key], one_off[key + "_min"] = statistics.median(values), min(values)
    return {
        "ratio": throughput["ratio"],
        "verdict": throughput["verdict"],
        "meets_target": throughput["ratio"] >= TARGET,
        "throughput": throughput,
        "throughput_separate": measure("separate", "engine", "hand", "hand", "control", "separate", "epochs"),
        "whole_run": measure("turns", "engine", "hand", "a", "b", "turns_control", "whole"),
        "whole_runs_separate": measure("separate", "engine", "hand", "hand", "control", "separate", "whole"),
        "one_off_ms": one_off,
        "samples_per_run": samples,
        "val_accuracy_engine": statistics.median(accuracy["engine"]),
        "val_accuracy_hand": statistics.median(accuracy["hand"]),
        "rounds": rounds,
        "epochs": epochs,
        "event_lines_last_round": sum(1 for _ in open(sides.events, encoding="utf-8")),
    }


MEASURES = (("throughput", "epochs, taking turns"), ("throughput_separate", "epochs, separate"),
            ("whole_run", "whole run, turns"), ("whole_runs_separate", "whole runs, separate"))


def report(results: dict) -> None:
    print(f"{'network':<7} {'measure':<21} {'engine':>12} {'loop':>12} {'ratio':>6} {'95% CI':>13} {'IQR':>13} "
          f"{'A/A':>6} {'A/A 95% CI':>13}")
    for name, r in results.items():
        for key, label in MEASURES:
            m = r[key]
            if key.startswith("throughput"):
                engine, hand = f"{m['engine_samples_per_s']:,.0f}/s", f"{m['hand_samples_per_s']:,.0f}/s"
            else:
                engine, hand = f"{m['engine_s']:.3f} s", f"{m['hand_s']:.3f} s"
            print(f"{name if key == 'throughput' else '':<7} {label:<21} {engine:>12} {hand:>12} {m['ratio']:6.3f} "
                  f"{m['ratio_ci95'][0]:6.3f}-{m['ratio_ci95'][1]:<6.3f} {m['ratio_q1']:6.3f}-{m['ratio_q3']:<6.3f} "
                  f"{m['control_ratio']:6.3f} {m['control_ratio_ci95'][0]:6.3f}-{m['control_ratio_ci95'][1]:<6.3f}")
        w = r["whole_runs_separate"]
        print(f"{'':<7} {'fastest whole runs':<21} {w['engine_s_min']:10.3f} s {w['hand_s_min']:10.3f} s "
              f"{w['ratio_of_fastest']:6.3f} {'':>13} {'':>13} {w['control_ratio_of_fastest']:6.3f}")
        o = r["one_off_ms"]
        print(f"{'':<8}one-off ms, median (fastest): engine start {o['engine_start']:.1f} ({o['engine_start_min']:.1f}), "
              f"end {o['engine_end']:.1f} ({o['engine_end_min']:.1f}); loop set-up {o['hand_setup']:.1f} "
              f"({o['hand_setup_min']:.1f})")
        print(f"{'':<8}final val accuracy, separate runs: engine {r['val_accuracy_engine']:.4f}, loop "
              f"{r['val_accuracy_hand']:.4f}; per-round epochs ratios, taking turns: "
              + " ".join(f"{x:.3f}" for x in r["throughput"]["ratios"]))
    print("ratio = median over rounds of (loop time / engine time), i.e. the engine's throughput relative to the")
    print(f"loop's. epochs: training samples / the time from the first batch to the end of the last epoch (target")
    print(f">= {TARGET}, taking turns); whole run: set-up to the end, one-off costs included (no target). taking turns:")
    print("the loop runs its set-up at the engine's start event and one epoch at each epoch event; separate: the")
    print("sides as separate runs in rotating order. A/A = the same figure for the loop against itself. one-off:")
    print("engine start = set-up and start files up to the start event; end = after the last epoch event")
    print("(checkpoints, test split, summary, done event); loop set-up = model, tensors, optimiser.")
    for name, r in results.items():
        for key, label in MEASURES:
            m = r[key]
            if m["verdict"] == "unreliable":
                lo, hi = m["control_ratio_ci95"]
                print(f"WARNING: {name}, {label}: the A/A control reads {m['control_ratio']:.3f} (95% CI {lo:.3f}-{hi:.3f}): "
                      "the machine was too busy for a reliable figure — run again, or with more --rounds")
    verdict = ", ".join(f"{k} {v['ratio']:.3f} {v['verdict']}" for k, v in results.items())
    print(f"verdict (target ≥ {TARGET}, epochs throughput taking turns): {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run (few rounds, short)")
    ap.add_argument("--rounds", type=int, help="timed rounds per network (default 15 for mlp, 7 for cnn; quick 2)")
    ap.add_argument("--networks", default="mlp,cnn", help="comma-separated subset of mlp,cnn")
    args = ap.parse_args()
    epochs, warmup = (2, 1) if args.quick else (40, 1)
    default_rounds = {"mlp": 2, "cnn": 2} if args.quick else {"mlp": 15, "cnn": 7}
    keys = [k.strip() for k in args.networks.split(",") if k.strip()]
    for k in keys:
        if k not in NETWORKS:
            ap.error(f"unknown network {k!r}; choose from {', '.join(NETWORKS)}")
    splits = load_data("digits", seed=0)
    started = time.perf_counter()
    print(f"training throughput, digits ({len(splits.train)} train samples), Adam {LR:g}, batch {BATCH}, "
          f"{epochs} epochs per run, {warmup} warm-up round dropped, torch threads {torch.get_num_threads()}"
          + (" [quick]" if args.quick else ""))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in keys:
            results[name] = bench_network(name, splits, rounds=args.rounds or default_rounds[name], warmup=warmup,
                                          epochs=epochs, tmp=Path(tmp))
    report(results)
    out = {**results, "all_meet_target": all(r["meets_target"] for r in results.values()),
           "elapsed_s": round(time.perf_counter() - started, 1), "quick": args.quick}
    print("RESULT " + json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
