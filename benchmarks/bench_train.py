"""Training throughput of the engine (events on) vs a hand-written PyTorch loop.

Same model (the example graph; the loop gets its own hand-written nn.Module with the same
layers), same data (the digits split the engine uses, as in-memory tensors), same batch size,
optimiser (Adam 1e-3) and number of epochs. The hand-written loop is what a careful person
writes: index batching on in-memory tensors and, after every epoch, a validation pass (loss and
accuracy, read with ``.item()``). The engine does all it always does: batch losses grouped into
events, train accuracy, full validation metrics each epoch, best-epoch tracking, an event
stream written to a file, one metrics line per epoch, the run files, checkpoints and a test
evaluation at the end. benchmarks/README.md lists both sides exactly.

Two measurements, each round, each with an A/A control (the loop against itself, the noise
floor). Epoch by epoch (the headline): the engine runs, and each of its ``epoch`` events runs
one epoch of the loop, so the two take turns every few milliseconds and share the machine's ups
and downs; each side's time is its own share of the wall clock. Whole runs: the engine, the
loop and the loop again as separate runs in an order that rotates through every permutation
(and, beside it, the ratio of each side's fastest run: load from other work only adds time).
The figure is the median over rounds of the paired ratio loop time ÷ engine time (1.00 means
as fast; the target is ≥ 0.97), with a distribution-free 95% confidence interval.

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

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stats import median_ci, quantile  # noqa: E402  (benchmarks/stats.py)
from studio.data import load_data  # noqa: E402
from studio.layers import load_graph  # noqa: E402
from studio.train import TrainConfig, Trainer  # noqa: E402
from studio.train.events import EventStream  # noqa: E402

TARGET = 0.97
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


def hand_written_epochs(model_cls, splits, shape, epochs, batch_size, lr, seed):
    """The hand-written loop, one step at a time: yields None once set up, then (validation loss,
    validation accuracy) after each epoch. ``hand_written`` runs it to the end."""
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
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            val_acc = (out.argmax(1) == yv).float().mean().item()
        yield val_loss, val_acc


def hand_written(model_cls, splits, shape, epochs, batch_size, lr, seed):
    *_, last = hand_written_epochs(model_cls, splits, shape, epochs, batch_size, lr, seed)
    return last


def engine(graph, splits, epochs, batch_size, lr, seed, run_dir, sink, listener=None):
    cfg = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, optimizer="adam")
    result = Trainer(graph, splits, cfg, run_dir, stream=EventStream(sink, listener)).run()
    return result.history[-1]["val"]["loss"], result.history[-1]["val"]["accuracy"]


def timed(call, *args):
    t0 = time.perf_counter()
    got = call(*args)
    return time.perf_counter() - t0, got


class Sides:
    """The timed runs of one network. Each returns seconds (and the final validation accuracy);
    the harness's own work (``gc.collect``, the events file, removing the run folder) is untimed."""

    def __init__(self, name: str, splits, epochs: int, tmp: Path) -> None:
        file, self.model_cls = NETWORKS[name]
        self.graph = load_graph(ROOT / "examples" / file)
        self.shape = tuple(self.graph.nodes["x"].params["shape"])
        self.splits = splits.adapt(self.shape, "float32")
        self.epochs = epochs
        self.events, self.run_dir = tmp / f"{name}.jsonl", tmp / f"{name}-run"

    def loop(self, seed):
        return hand_written_epochs(self.model_cls, self.splits, self.shape, self.epochs, BATCH, LR, seed)

    def engine(self, seed, listener=None) -> tuple[float, float]:
        with open(self.events, "w", encoding="utf-8") as sink:
            gc.collect()
            seconds, (_, acc) = timed(engine, self.graph, self.splits, self.epochs, BATCH, LR, seed, self.run_dir,
                                      sink, listener)
        shutil.rmtree(self.run_dir)
        return seconds, acc

    def hand(self, seed) -> tuple[float, float]:
        gc.collect()
        seconds, (_, acc) = timed(hand_written, self.model_cls, self.splits, self.shape, self.epochs, BATCH, LR, seed)
        return seconds, acc

    def interleaved(self, seed) -> tuple[float, float]:
        """The engine's run and the loop's epochs in turn: each ``epoch`` event of the engine
        runs one epoch of the loop. (engine seconds without the loop's, loop seconds)."""
        loop = self.loop(seed)
        gc.collect()
        hand, _ = timed(next, loop)  # the loop's set-up
        inside = 0.0

        def listener(event):
            nonlocal inside
            if event.kind == "epoch":
                inside += timed(next, loop)[0]

        total, _ = self.engine(seed, listener)
        return total - inside, hand + inside

    def interleaved_control(self, seed) -> tuple[float, float]:
        """Two copies of the loop, epoch by epoch in turn: the A/A control of ``interleaved``."""
        a, b = self.loop(seed), self.loop(seed)
        gc.collect()
        ta = tb = 0.0
        for _ in range(self.epochs + 1):
            ta += timed(next, a)[0]
            tb += timed(next, b)[0]
        return ta, tb


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
    runs = {"engine": sides.engine, "hand": sides.hand, "control": sides.hand}
    orders = list(itertools.permutations(runs))  # every order in turn: no side is always first
    times: dict[str, list[float]] = {s: [] for s in ("engine", "hand", "control", "i_engine", "i_hand", "a", "b")}
    accuracy: dict[str, list[float]] = {"engine": [], "hand": []}
    for i in range(warmup + rounds):  # the round's seed for every side
        got = {side: runs[side](i) for side in orders[i % len(orders)]}
        pair = [("i", lambda: sides.interleaved(i)), ("aa", lambda: sides.interleaved_control(i))]
        done = dict((key, call()) for key, call in (pair if i % 2 == 0 else pair[::-1]))
        if i < warmup:
            continue
        for side, (seconds, _) in got.items():
            times[side].append(seconds)
        t_engine, t_hand = done["i"]
        times["i_engine"].append(t_engine)
        times["i_hand"].append(t_hand)
        times["a"].append(done["aa"][0])
        times["b"].append(done["aa"][1])
        # Whole runs with the same seed train exactly alike; taking turns, the two share torch's
        # random generator (other shuffles and dropout masks), so only whole runs are compared.
        accuracy["engine"].append(got["engine"][1])
        accuracy["hand"].append(got["hand"][1])

    def ratios(num: str, den: str) -> list[float]:
        return [a / b for a, b in zip(times[num], times[den])]

    head = summary(ratios("i_hand", "i_engine"), ratios("b", "a"))  # the headline: epoch by epoch
    whole = summary(ratios("hand", "engine"), ratios("hand", "control"))
    whole.update(engine_s=statistics.median(times["engine"]), hand_s=statistics.median(times["hand"]),
                 # Load from other work only ever adds time, so each side's fastest run is one
                 # more reading of the same ratio (with its own A/A control).
                 engine_s_min=min(times["engine"]), hand_s_min=min(times["hand"]),
                 ratio_of_fastest=min(times["hand"]) / min(times["engine"]),
                 control_ratio_of_fastest=min(times["hand"]) / min(times["control"]))
    for r in (head, whole):
        if not reliable(r):
            r["verdict"] = "unreliable"
    return {
        **head,
        "engine_s": statistics.median(times["i_engine"]),
        "hand_s": statistics.median(times["i_hand"]),
        "whole_runs": whole,
        "val_accuracy_engine": statistics.median(accuracy["engine"]),
        "val_accuracy_hand": statistics.median(accuracy["hand"]),
        "rounds": rounds,
        "epochs": epochs,
        "event_lines_last_round": sum(1 for _ in open(sides.events, encoding="utf-8")),
        "meets_target": head["ratio"] >= TARGET,
    }


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
    print(f"{'network':<7} {'rounds':>6} {'measure':<18} {'engine s':>9} {'hand s':>8} {'ratio':>6} {'95% CI':>13} "
          f"{'IQR':>13} {'A/A':>6} {'A/A 95% CI':>13}")
    for name, r in results.items():
        w = r["whole_runs"]
        for label, m, engine_s, hand_s in (("epoch by epoch", r, r["engine_s"], r["hand_s"]),
                                           ("whole runs", w, w["engine_s"], w["hand_s"])):
            print(f"{name if m is r else '':<7} {r['rounds'] if m is r else '':>6} {label:<18} {engine_s:9.3f} "
                  f"{hand_s:8.3f} {m['ratio']:6.3f} {m['ratio_ci95'][0]:6.3f}-{m['ratio_ci95'][1]:<6.3f} "
                  f"{m['ratio_q1']:6.3f}-{m['ratio_q3']:<6.3f} {m['control_ratio']:6.3f} "
                  f"{m['control_ratio_ci95'][0]:6.3f}-{m['control_ratio_ci95'][1]:<6.3f}")
        print(f"{'':<7} {'':>6} {'fastest runs':<18} {w['engine_s_min']:9.3f} {w['hand_s_min']:8.3f} "
              f"{w['ratio_of_fastest']:6.3f} {'':>13} {'':>13} {w['control_ratio_of_fastest']:6.3f}")
        print(f"{'':<15}final val accuracy, whole runs: engine {r['val_accuracy_engine']:.4f}, loop "
              f"{r['val_accuracy_hand']:.4f}; per-round ratios, epoch by epoch: " + " ".join(f"{x:.3f}" for x in r["ratios"]))
    print("ratio = median over rounds of (loop time / engine time), i.e. the engine's throughput relative to the")
    print(f"loop's (target >= {TARGET}). epoch by epoch: the engine's run with one epoch of the loop after each of its")
    print("epochs (the headline: the two share the machine's ups and downs); whole runs: separate runs in rotating")
    print("order; fastest runs: each side's fastest whole run. A/A = the same figure for the loop against itself.")
    for name, r in results.items():
        for label, m in (("epoch by epoch", r), ("whole runs", r["whole_runs"])):
            if m["verdict"] == "unreliable":
                lo, hi = m["control_ratio_ci95"]
                print(f"WARNING: {name}, {label}: the A/A control reads {m['control_ratio']:.3f} (95% CI {lo:.3f}-{hi:.3f}): "
                      "the machine was too busy for a reliable figure — run again, or with more --rounds")
    verdict = ", ".join(f"{k} {v['ratio']:.3f} {v['verdict']}" for k, v in results.items())
    print(f"verdict (target ≥ {TARGET}, epoch by epoch): {verdict}")
    out = {**results, "all_meet_target": all(r["meets_target"] for r in results.values()),
           "elapsed_s": round(time.perf_counter() - started, 1), "quick": args.quick}
    print("RESULT " + json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
