"""Training throughput of the engine (events on) vs a hand-written PyTorch loop.

Same model (the example graph; the loop gets its own hand-written nn.Module with the same
layers and initial weights), same data (the digits split the engine uses, as tensors), same
batch size, optimiser and epochs. The hand-written loop does what a careful person writes:
index batching on in-memory tensors, and a validation pass (loss and accuracy) each epoch, as
the engine does. The engine additionally streams events (to a file), tracks the best epoch and
writes checkpoints.

Rounds alternate engine / hand-written; the figure is the median of per-round ratios
(hand-written time ÷ engine time, so 1.00 means as fast, ≥ 0.97 is the target).

    python benchmarks/bench_train.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.data import load_data  # noqa: E402
from studio.layers import load_graph  # noqa: E402
from studio.train import TrainConfig, Trainer  # noqa: E402
from studio.train.events import EventStream  # noqa: E402


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


def hand_written(model_cls, splits, shape, epochs, batch_size, lr, seed):
    torch.manual_seed(seed)
    model = model_cls()
    x = torch.as_tensor(splits.train.x).reshape((-1,) + shape)
    y = torch.as_tensor(splits.train.y)
    xv = torch.as_tensor(splits.val.x).reshape((-1,) + shape)
    yv = torch.as_tensor(splits.val.y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = len(x)
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
    return val_loss, val_acc


def engine(graph, splits, epochs, batch_size, lr, seed, events_path):
    cfg = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, optimizer="adam")
    with tempfile.TemporaryDirectory() as run, open(events_path, "w") as sink:
        result = Trainer(graph, splits, cfg, run, stream=EventStream(sink)).run()
    return result.history[-1]["val"]["loss"], result.history[-1]["val"]["accuracy"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run (few rounds, short)")
    args = ap.parse_args()
    rounds, epochs = (2, 2) if args.quick else (5, 40)
    splits = load_data("digits", seed=0)
    results = {}
    print(f"training throughput, digits ({len(splits.train)} train samples), Adam 1e-3, batch 64, "
          f"{epochs} epochs per round, {rounds} rounds (+1 warm-up), torch threads {torch.get_num_threads()}")
    print(f"{'network':<6} {'engine s':>9} {'hand s':>8} {'ratio':>7}   per-round ratios")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (file, model_cls) in NETWORKS.items():
            graph = load_graph(ROOT / "examples" / file)
            shape = tuple(graph.nodes["x"].params["shape"])
            adapted = splits.adapt(shape, "float32")
            events = Path(tmp) / f"{name}.jsonl"
            ratios, times_e, times_h = [], [], []
            for r in range(rounds + 1):
                order = (0, 1) if r % 2 == 0 else (1, 0)
                t = {}
                for which in order:
                    t0 = time.perf_counter()
                    if which == 0:
                        engine(graph, adapted, epochs, 64, 1e-3, r, events)
                    else:
                        hand_written(model_cls, adapted, shape, epochs, 64, 1e-3, r)
                    t[which] = time.perf_counter() - t0
                if r == 0:
                    continue  # warm-up
                times_e.append(t[0])
                times_h.append(t[1])
                ratios.append(t[1] / t[0])
            ratio = statistics.median(ratios)
            lines = sum(1 for _ in open(events))
            results[name] = {"ratio": ratio, "engine_s": statistics.median(times_e), "hand_s": statistics.median(times_h),
                             "ratios": ratios, "event_lines_last_round": lines}
            print(f"{name:<6} {results[name]['engine_s']:9.3f} {results[name]['hand_s']:8.3f} {ratio:7.3f}   "
                  + " ".join(f"{x:.3f}" for x in ratios))
    verdict = ", ".join(f"{k} {v['ratio']:.3f} {'met' if v['ratio'] >= 0.97 else 'NOT met'}" for k, v in results.items())
    print(f"verdict (target ≥ 0.97): {verdict}")
    print("RESULT " + json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
