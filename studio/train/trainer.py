"""The training loop: graph + data + configuration → a run directory and an event stream.

In-memory datasets live as tensors on the training device and are batched by index (a
DataLoader is 1.4–1.6× slower for data this size). Per-batch work is only what training needs:
losses (and a classifier's outputs) stay on the device and are read in one batched step when a
grouped event is due, about 20 times a second. Per-epoch work is kept as small: validation
is reduced on the device and read in one transfer (``evaluation``), the best weights are copied
into buffers allocated once, the start files are written on a worker thread and metrics lines
with the checkpoints (``run_files``). Stop, pause and resume arrive through ``Control`` from
another thread (the CLI reads them from stdin). No Qt.
"""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .. import __version__
from ..compile import analyze
from ..graph.fileformat import atomic_write
from ..graph.model import Graph
from ..layers import dump_graph
from . import events as ev
from .checkpoints import (
    DamagedCheckpoint, load_resume_state, load_weights, read_tensors, save_resume_state, save_state, save_weights,
)
from .config import TrainConfig
from .evaluation import SplitEvaluation
from .fit import FitError, fit
from .objective import build_loss, predictions, prepare_targets
from .run_files import FileWrites, MetricsLog


class TrainingFailed(Exception):
    """The run cannot go on. ``code``: graph, data, config, nan, out_of_memory, internal."""

    def __init__(self, code: str, message: str, fix: str = "", epoch: int | None = None) -> None:
        super().__init__(message + (f" — {fix}" if fix else ""))
        self.code, self.message, self.fix, self.epoch = code, message, fix, epoch

    def event(self) -> ev.Error:
        return ev.Error(self.code, self.message, self.fix, self.epoch)


class Control:
    """Requests from outside the loop. Thread-safe; checked once per batch (a flag read)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._run = threading.Event()
        self._run.set()
        self.requested = False  # cheap check in the hot loop

    def stop(self) -> None:
        self._stop.set()
        self._run.set()
        self.requested = True

    def pause(self) -> None:
        self._run.clear()
        self.requested = True

    def resume(self) -> None:
        self._run.set()
        self.requested = self._stop.is_set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._run.is_set()

    def wait_while_paused(self) -> None:
        self._run.wait()

    def command(self, text: str) -> bool:
        """Apply one command: ``stop``, ``pause`` or ``resume``, plain or as {"command": …}."""
        text = text.strip()
        if text.startswith("{"):
            try:
                text = str(json.loads(text).get("command", ""))
            except (ValueError, AttributeError):
                return False
        action = {"stop": self.stop, "pause": self.pause, "resume": self.resume}.get(text.lower())
        if action is None:
            return False
        action()
        return True

    def listen(self, stream: TextIO) -> threading.Thread:
        """Read commands, one per line, on a daemon thread; end of input changes nothing."""

        def loop() -> None:
            for line in stream:
                self.command(line)

        thread = threading.Thread(target=loop, name="training-control", daemon=True)
        thread.start()
        return thread


@dataclass
class TrainResult:
    run_dir: Path
    reason: str
    epochs_run: int
    best_epoch: int | None
    test: dict[str, Any]
    seconds: float
    history: list[dict[str, Any]] = field(default_factory=list)


def resolve_device(name: str):
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise TrainingFailed("config", f"device {name} was asked for, but no CUDA GPU is available here",
                                 "use --device cpu (or auto)")
        index = int(name.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise TrainingFailed("config", f"device {name} does not exist; this machine has "
                                 f"{torch.cuda.device_count()} CUDA device(s)", "use cuda:0 or auto")
    return torch.device(name)


def _optimizer(cfg: TrainConfig, params):
    import torch.optim as optim

    if cfg.optimizer == "sgd":
        return optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, nesterov=cfg.nesterov, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adam":
        return optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "rmsprop":
        return optim.RMSprop(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    return optim.Adagrad(params, lr=cfg.lr, weight_decay=cfg.weight_decay)


def _scheduler(cfg: TrainConfig, optimizer):
    import torch.optim.lr_scheduler as sched

    if cfg.schedule == "step":
        return sched.StepLR(optimizer, step_size=cfg.step_size, gamma=cfg.gamma)
    if cfg.schedule == "exponential":
        return sched.ExponentialLR(optimizer, gamma=cfg.gamma)
    if cfg.schedule == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=cfg.epochs)
    if cfg.schedule == "plateau":
        return sched.ReduceLROnPlateau(optimizer, factor=cfg.gamma, patience=cfg.plateau_patience)
    return None


class Trainer:
    PERSIST_INTERVAL = 2.0  # seconds between checkpoint writes
    # A validation pass shorter than this lets the epoch's last batch losses wait for its epoch line.
    QUICK_VALIDATION = ev.EventStream.BATCH_INTERVAL

    def __init__(self, graph: Graph, splits, config: TrainConfig, run_dir: str | Path, *,
                 stream: ev.EventStream | None = None, control: Control | None = None) -> None:
        self.graph = graph
        self.config = config
        self.run_dir = Path(run_dir)
        self.stream = stream or ev.EventStream()
        self.control = control or Control()
        self.analysis = analyze(graph)
        try:
            fitted = fit(graph, self.analysis, splits, config.loss)
        except FitError as exc:
            raise TrainingFailed(exc.code, exc.message, exc.fix) from None
        self.splits, self.objective = fitted.splits, fitted.objective

    # -- set-up ------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Build the module and move the data to the device, without training or writing."""
        self._setup(resume=False)

    def _setup(self, resume: bool):
        import torch

        from ..compile import build_module

        cfg = self.config
        torch.manual_seed(cfg.seed)
        np.random.seed(cfg.seed % (2**32))
        self.device = resolve_device(cfg.device)
        self.module = build_module(self.graph, self.analysis).to(self.device)
        self.output_index = self.analysis.outputs().index(self.objective.output_id)
        self.multi_output = len(self.analysis.outputs()) > 1
        dev = self.device
        s = self.splits
        self.x = {name: torch.as_tensor(getattr(s, name).x).to(dev) for name in ("train", "val", "test")}
        self.y = {name: prepare_targets(self.objective, getattr(s, name).y).to(dev) for name in ("train", "val", "test")}
        self.loss_fn = build_loss(self.objective.loss)
        # What the epochs read again and again, made once: each training sample's class (to count
        # correct predictions on the device) and the validation split's chunks and class counts.
        self._train_labels = self.y["train"].reshape(-1).long() if self.objective.classifier else None
        self._val_evaluation = SplitEvaluation(self.objective, self.loss_fn, self.x["val"], self.y["val"],
                                               self.splits.class_names)
        self.optimizer = _optimizer(cfg, self.module.parameters())
        self.scheduler = _scheduler(cfg, self.optimizer)
        self.amp = cfg.amp and dev.type == "cuda"
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp) if dev.type == "cuda" else None
        self.start_epoch, self.best_value, self.best_epoch, self.history = 1, None, None, []
        self._best_state = None  # a copy of the best epoch's weights, updated in place
        self._epoch_done = self._persisted_epoch = None
        self._hold_last_losses = False  # known after the first validation pass
        self._persisted = time.monotonic()
        if resume:
            self._load_resume()
        self._live_state = self.module.state_dict()  # tensors that share storage with the module's
        self._best_pairs = None  # (best buffers, live tensors) in matching order, once both exist

    def _load_resume(self) -> None:
        last = self.run_dir / "last.safetensors"
        if not last.exists() or not (self.run_dir / "resume" / "state.json").exists():
            raise TrainingFailed("config", f"there is no run to resume in {self.run_dir}",
                                 "train without --resume first, or point --out at an earlier run")
        fresh = "train again without --resume (the run starts over), or point --out at another folder"
        best = self.run_dir / "best.safetensors"
        try:
            load_weights(self.module, last, self.device)
            state = load_resume_state(self.run_dir / "resume", self.optimizer, self.scheduler, self.scaler,
                                      self.device)
            if best.exists():
                self._best_state = read_tensors(best, self.device)
        except DamagedCheckpoint as exc:
            raise TrainingFailed("config", str(exc), fresh) from None
        except RuntimeError:  # torch's load_state_dict: the keys or shapes of another network
            raise TrainingFailed("config", f"the weights in {last} belong to another network, not this graph",
                                 fresh) from None
        self.start_epoch = state["epoch"] + 1
        self.best_value, self.best_epoch = state.get("best_value"), state.get("best_epoch")
        self.history = state.get("history", [])

    def _forward(self, x):
        out = self.module(x)
        return out[self.output_index] if self.multi_output else out

    # -- the run -----------------------------------------------------------------------------
    def run(self, *, resume: bool = False) -> TrainResult:
        started = time.monotonic()
        self._setup(resume)
        self._start_files = self._write_run_files()
        try:
            return self._run(started)
        finally:
            self._start_files.wait()  # written by now (or their failure raised), however the run ended

    def _run(self, started: float) -> TrainResult:
        cfg, s = self.config, self.splits
        n = len(s.train)
        bs = min(cfg.effective_batch_size(n), n)
        nb = math.ceil(n / bs)
        notes = list(self.objective.notes)
        for note in notes:
            self.stream.emit(ev.Warning("objective", note))
        params = sum(p.numel() for p in self.module.parameters())
        self.stream.emit(ev.RunStarted(
            str(self.run_dir), str(self.device), s.task, self.objective.loss, cfg.optimizer, cfg.epochs, bs,
            n, len(s.val), len(s.test), nb, params, s.class_names, self.start_epoch, cfg.to_dict(), notes))
        if self.start_epoch > cfg.epochs:
            raise TrainingFailed("config", f"the run already has {self.start_epoch - 1} epochs",
                                 f"ask for more than {cfg.epochs} epochs to continue it")

        reason, epoch = "completed", self.start_epoch - 1
        rising, warned_overfit = 0, False
        step = (self.start_epoch - 1) * nb
        epoch_times: list[float] = []
        sizes = [min(bs, n - i * bs) for i in range(nb)]  # the last batch may be short
        self._metrics = MetricsLog(self.run_dir / "metrics.jsonl", append=self.start_epoch > 1)
        try:
            for epoch in range(self.start_epoch, cfg.epochs + 1):
                t0 = time.monotonic()
                stopped = self._train_epoch(epoch, bs, nb, step, epoch_times, t0)
                step += nb
                if stopped and not self._done_batches:  # stopped before this epoch began
                    epoch -= 1
                    reason = "stopped"
                    break
                train_loss = sum(v * w for v, w in zip(self._epoch_losses, sizes)) / sum(sizes[:len(self._epoch_losses)])
                if not math.isfinite(train_loss):
                    raise self._nan(epoch, self._done_batches)
                train_metrics = {"loss": train_loss}
                if self.objective.classifier:
                    train_metrics["accuracy"] = int(self._correct) / max(self._train_seen, 1)  # the epoch's one read of it
                val_started = time.monotonic()
                val_metrics = self._validate() if len(s.val) else {}
                # An epoch's last batch losses wait for its epoch event only while that comes soon.
                self._hold_last_losses = time.monotonic() - val_started < self.QUICK_VALIDATION
                lr = self.optimizer.param_groups[0]["lr"]
                if self.scheduler is not None:
                    if cfg.schedule == "plateau":
                        self.scheduler.step(val_metrics.get("loss", train_loss))
                    else:
                        self.scheduler.step()
                improved = self._track_best(epoch, train_metrics, val_metrics)
                seconds = time.monotonic() - t0
                epoch_times.append(seconds)
                remaining = (cfg.epochs - epoch) * (sum(epoch_times[-3:]) / len(epoch_times[-3:]))
                record = {"epoch": epoch, "train": train_metrics, "val": val_metrics, "lr": lr, "seconds": seconds}
                self.history.append(record)
                if improved:
                    self._remember_best()
                self._epoch_done = epoch
                self._metrics.add(record)  # written with the checkpoints, and when the run ends or fails
                if time.monotonic() - self._persisted >= self.PERSIST_INTERVAL:
                    self.stream.flush()  # what is held goes out before the (maybe slow) checkpoint
                    self._persist()
                self.stream.emit(ev.EpochEnd(epoch, cfg.epochs, train_metrics, val_metrics, lr, seconds,
                                             self._train_seen / max(self._train_seconds, 1e-9), remaining, improved))
                # The course's overfitting signature: validation loss rising while training loss falls.
                if len(self.history) >= 2 and "loss" in val_metrics:
                    prev = self.history[-2]
                    rising = rising + 1 if (val_metrics["loss"] > prev["val"].get("loss", math.inf)
                                            and train_loss < prev["train"]["loss"]) else 0
                    if rising >= 3 and not warned_overfit:
                        warned_overfit = True
                        self.stream.emit(ev.Warning(
                            "overfitting", f"validation loss has risen for {rising} epochs while training loss "
                            "keeps falling: the network is memorising the training set (overfitting) — try early "
                            "stopping, Dropout, weight decay, a smaller network or more data", epoch))
                if stopped:
                    reason = "stopped"
                    break
                if cfg.early_stopping and self.best_epoch is not None and epoch - self.best_epoch >= cfg.early_stopping:
                    reason = "early_stopping"
                    break
        except TrainingFailed:
            raise
        except Exception as exc:  # out of memory, and anything torch raises mid-run
            if _is_oom(exc):
                raise TrainingFailed("out_of_memory", f"the device ran out of memory at epoch {epoch} with batches of {bs}",
                                     "use a smaller --batch-size, a smaller network, or the CPU", epoch) from None
            raise
        finally:
            self._metrics.close()
        self._persist()
        return self._finish(reason, epoch, started)

    def _persist(self) -> None:
        """Write last/best weights and the resume state as of the last completed epoch.

        Called at most every ``PERSIST_INTERVAL`` seconds and when the run ends, so tiny epochs
        (XOR has one batch) are not dominated by disk writes. Never called after a failure: by
        then the weights in memory may be ruined (NaN), and the files on disk are the good ones.
        """
        if self._epoch_done is None or self._persisted_epoch == self._epoch_done:
            return
        self._start_files.wait()
        self._metrics.flush()
        save_weights(self.module, self.run_dir / "last.safetensors")
        if self._best_state is not None:
            save_state(self._best_state, self.run_dir / "best.safetensors")
        save_resume_state(self.run_dir / "resume", self.optimizer, self.scheduler, self.scaler,
                          {"epoch": self._epoch_done, "best_value": self.best_value, "best_epoch": self.best_epoch,
                           "history": self.history})
        self._persisted = time.monotonic()
        self._persisted_epoch = self._epoch_done

    def _train_epoch(self, epoch, bs, nb, step, epoch_times, t0) -> bool:
        """One pass over the training set. Returns True if a stop was requested.

        The loop does only what training needs. Each batch's loss (and, for classifiers, its
        outputs) is kept as a device tensor; ``_flush`` turns the losses into numbers in one
        batched step when an event is due (~20 times a second), the only synchronisation with the
        device, and counts the correct predictions on the device, read once at the epoch's end.
        """
        import torch

        module, opt, loss_fn, ctrl = self.module, self.optimizer, self.loss_fn, self.control
        x, y = self.x["train"], self.y["train"]
        n = x.shape[0]
        noise = float(self.splits.input_noise or 0.0)
        clip = self.config.grad_clip
        amp = self.amp and self.scaler is not None
        keep_outputs = self.objective.classifier
        module.train()
        order = torch.randperm(n, device=self.device)
        self._epoch_losses: list[float] = []
        self._correct = None  # this epoch's correct predictions so far, a device tensor
        pending: list = []
        outputs: list = []
        # The run's first loss goes out as soon as its batch has trained (the curve begins at once);
        # after it, losses are grouped, one event at most every BATCH_INTERVAL.
        last_flush = -math.inf if epoch == self.start_epoch else time.monotonic()
        self._done_batches = 0
        for b in range(nb):
            idx = order[b * bs:(b + 1) * bs]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)  # what x[idx] gives, by a quicker path
            if noise:
                xb = xb + noise * torch.randn_like(xb)
            opt.zero_grad(set_to_none=True)
            if amp:
                with torch.autocast(self.device.type):
                    out = self._forward(xb)
                    loss = loss_fn(out, yb)
                self.scaler.scale(loss).backward()
                if clip:
                    self.scaler.unscale_(opt)
                    torch.nn.utils.clip_grad_norm_(module.parameters(), clip)
                self.scaler.step(opt)
                self.scaler.update()
            else:
                out = self._forward(xb)
                loss = loss_fn(out, yb)
                loss.backward()
                if clip:
                    torch.nn.utils.clip_grad_norm_(module.parameters(), clip)
                opt.step()
            pending.append(loss.detach())
            if keep_outputs:
                outputs.append(out.detach())
            now = time.monotonic()
            if now - last_flush >= ev.EventStream.BATCH_INTERVAL or ctrl.requested:
                self._flush(epoch, pending, outputs, order, step, bs, nb, epoch_times, t0, now)
                last_flush = now
                if ctrl.requested:
                    if ctrl.paused:
                        self.stream.emit(ev.Paused(epoch, b + 1))
                        ctrl.wait_while_paused()
                        if not ctrl.stopping:
                            self.stream.emit(ev.Resumed(epoch, b + 1))
                            last_flush = time.monotonic()
                    if ctrl.stopping:
                        break
        self._done_batches = len(self._epoch_losses) + len(pending)
        # The epoch's last losses: flushed with the epoch event that follows when the validation
        # pass in between was quick the epoch before.
        self._flush(epoch, pending, outputs, order, step, bs, nb, epoch_times, t0, time.monotonic(),
                    hold=self._hold_last_losses)
        self._train_seen = min(self._done_batches * bs, n)
        self._train_seconds = time.monotonic() - t0
        return ctrl.stopping

    def _flush(self, epoch, pending, outputs, order, step, bs, nb, epoch_times, t0, now, hold=False) -> None:
        """Turn the batches since the last event into numbers and emit one grouped event; add
        their correct predictions to the epoch's count, on the device."""
        if not pending:
            return
        import torch

        start = len(self._epoch_losses)
        values = torch.stack(pending).tolist()
        if outputs:
            # The outputs of batches start… in order: the samples order[start * bs:…] of this epoch.
            labels = self._train_labels.index_select(0, order[start * bs:(start + len(outputs)) * bs])
            correct = (predictions(self.objective, torch.cat(outputs)) == labels).count_nonzero()
            self._correct = correct if self._correct is None else self._correct + correct
            outputs.clear()
        pending.clear()
        if not math.isfinite(sum(values)):  # one check for the group; the bad batch looked for only then
            bad = next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
            if bad is not None:
                raise self._nan(epoch, start + bad + 1)
        self._epoch_losses.extend(values)
        end = len(self._epoch_losses)
        elapsed = max(now - t0, 1e-9)
        rate = end * bs / elapsed
        per_epoch = (sum(epoch_times[-3:]) / len(epoch_times[-3:])) if epoch_times else elapsed * nb / end
        eta = (nb - end) * elapsed / end + (self.config.epochs - epoch) * per_epoch
        self.stream.emit(ev.BatchLosses(epoch, start + 1, values, step + start, rate, eta), flush=not hold)

    def _nan(self, epoch: int, batch: int) -> TrainingFailed:
        cfg = self.config
        return TrainingFailed(
            "nan", f"the loss became NaN or infinite at epoch {epoch}, batch {batch}: training diverged",
            f"lower the learning rate (now {cfg.lr:g}), add gradient clipping (grad_clip 1.0), or check the data "
            "for extreme values", epoch)

    def _track_best(self, epoch: int, train: dict[str, float], val: dict[str, float]) -> bool:
        monitor = self.config.monitor
        source = val if monitor.startswith("val_") and val else train
        key = monitor.removeprefix("val_")
        value = source.get(key, source.get("loss"))
        if value is None or not math.isfinite(value):
            return False
        sign = -1.0 if key == "accuracy" else 1.0
        better = self.best_value is None or sign * value < sign * self.best_value - self.config.min_delta
        if better:
            self.best_value, self.best_epoch = value, epoch
        return better

    def _remember_best(self) -> None:
        """Copy the weights into the best-epoch buffers (allocated once, then overwritten in place)."""
        import torch

        if self._best_state is None:
            self._best_state = {k: v.detach().clone() for k, v in self._live_state.items()}
            return
        if self._best_pairs is None:  # matched by name: a resumed run's buffers come in the file's order
            keys = list(self._live_state)
            self._best_pairs = ([self._best_state[k] for k in keys], [self._live_state[k] for k in keys])
        with torch.no_grad():
            torch._foreach_copy_(*self._best_pairs)

    # -- evaluation --------------------------------------------------------------------------
    def evaluate_split(self, name: str) -> dict[str, Any]:
        """Loss and every metric (per class and the confusion matrix too) on one split."""
        if name == "val":
            return self._val_evaluation(self.module, self._forward)
        return SplitEvaluation(self.objective, self.loss_fn, self.x[name], self.y[name],
                               self.splits.class_names)(self.module, self._forward)

    def _validate(self) -> dict[str, float]:
        """An epoch's validation figures: loss, and accuracy / precision / recall / F1 or MSE / RMSE /
        MAE / R². Leaves the module in eval mode: the next epoch sets train mode anyway."""
        return self._val_evaluation(self.module, self._forward, detail=False, restore_mode=False)

    def _finish(self, reason: str, epoch: int, started: float) -> TrainResult:
        if self._best_state is not None:
            self.module.load_state_dict(self._best_state)
        test = self.evaluate_split("test") if len(self.splits.test) else {}
        self._write_samples()
        seconds = time.monotonic() - started
        summary = {
            "producer": f"Neurona Studio {__version__}",
            "reason": reason, "epochs_run": epoch, "best_epoch": self.best_epoch,
            "monitor": self.config.monitor, "best_value": self.best_value,
            "task": self.splits.task, "loss": self.objective.loss, "device": str(self.device),
            "seconds": seconds, "parameters": sum(p.numel() for p in self.module.parameters()),
            "train_samples": len(self.splits.train), "val_samples": len(self.splits.val),
            "test_samples": len(self.splits.test), "class_names": self.splits.class_names,
            "test": test, "final": self.history[-1] if self.history else None,
        }
        atomic_write(self.run_dir / "summary.json", json.dumps(summary, indent=2).encode("utf-8"))
        self.stream.emit(ev.Done(reason, epoch, self.best_epoch, seconds, str(self.run_dir), test))
        return TrainResult(self.run_dir, reason, epoch, self.best_epoch, test, seconds, self.history)

    def _write_samples(self) -> None:
        """samples.npz: test predictions to look at (the window draws them). A run never fails
        for want of it."""
        from .samples import write_samples

        was_training = self.module.training
        self.module.eval()
        try:
            write_samples(self.run_dir / "samples.npz", self.objective, self._forward, self.x["test"],
                          self.y["test"], self.splits.task)
        except Exception as exc:  # noqa: BLE001
            self.stream.emit(ev.Warning("samples", f"no sample predictions were saved: {exc}"))
        finally:
            self.module.train(was_training)

    def _write_run_files(self) -> FileWrites:
        """graph.neurona, config.json and data.json, written (atomically, as ever) on a worker
        thread while the first epoch trains; the trainer waits for them before its first
        checkpoint and at the end. The documents are made here, on the calling thread."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        s = self.splits
        data = {"spec": s.spec, "name": s.name, "task": s.task, "sample_shape": list(s.sample_shape),
                "input_dtype": s.input_dtype, "target_shape": list(s.target_shape), "class_names": s.class_names,
                "normalization": s.normalization, "raw_range": None if s.raw_range is None else list(s.raw_range),
                "objective": {"loss": self.objective.loss, "output": self.objective.output_id,
                              "binary": self.objective.binary},
                "seed": self.config.seed, "val_split": self.config.val_split, "test_split": self.config.test_split}
        files = {"graph.neurona": dump_graph(self.graph), "config.json": json.dumps(self.config.to_dict(), indent=2),
                 "data.json": json.dumps(data, indent=2)}
        return FileWrites([functools.partial(atomic_write, self.run_dir / name, text.encode("utf-8"))
                           for name, text in files.items()])


def _is_oom(exc: BaseException) -> bool:
    import torch

    oom = getattr(torch.cuda, "OutOfMemoryError", None)
    return (oom is not None and isinstance(exc, oom)) or "out of memory" in str(exc).lower()
