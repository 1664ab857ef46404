"""The ``neurona`` command: the desktop window by default, headless subcommands for scripts.

    neurona check FILE [--json]        validate; exit 0 valid, 1 invalid, 2 unreadable
    neurona summary FILE [--json]      Keras-like table of shapes and parameters
    neurona codegen FILE [-o OUT.py]   standalone PyTorch source
    neurona layers [--json]            the layer catalogue
    neurona train FILE --out RUN_DIR   train (see --help for data and hyperparameters)
    neurona evaluate RUN_DIR [--json]  metrics of a trained run on its test split
    neurona export RUN_DIR -o M.onnx   ONNX with a parity check against torch
    neurona predict M.onnx --input F   run any ONNX model with onnxruntime

Exit codes everywhere: 0 success, 1 the work failed (e.g. an invalid graph), 2 bad usage or an
unreadable input — always with a one-line reason on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .deploy.opsets import DEFAULT_OPSET, MAX_OPSET, MIN_OPSET

OK, FAILED, USAGE = 0, 1, 2
WORKER = "worker"  # the hidden command of the warm training process the window keeps (not listed)
COMMANDS = ("check", "summary", "codegen", "layers", "train", "devices", "evaluate", "export", "predict")


class CliError(Exception):
    def __init__(self, message: str, code: int = USAGE) -> None:
        super().__init__(message)
        self.code = code


def _parser(command: str | None = None):
    """The command line's parser; given the ``command`` that runs, the other commands' options
    that need imports (train's choices) are left out, so that ``predict`` starts quickly."""
    import argparse  # here, not at the top: the window starts without it

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # one line on stderr, exit 2 (argparse prints usage too)
            raise CliError(f"{self.prog}: {message} (see {self.prog} --help)")

    p = _Parser(prog="neurona", description="Neurona Studio: design, train and ship neural networks.")
    p.add_argument("--version", action="version", version=f"neurona {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    c = sub.add_parser("check", help="validate a graph file (exit 0 valid, 1 invalid, 2 unreadable)")
    c.add_argument("file")
    c.add_argument("--json", action="store_true", help="print the result as JSON")
    s = sub.add_parser("summary", help="print shapes and parameter counts per node")
    s.add_argument("file")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    g = sub.add_parser("codegen", help="write standalone PyTorch source for a graph")
    g.add_argument("file")
    g.add_argument("-o", "--output", metavar="OUT.py", help="write here instead of standard output")
    lay = sub.add_parser("layers", help="list the layer types")
    lay.add_argument("--json", action="store_true")
    dv = sub.add_parser("devices", help="list the devices to train on: the CPU and every CUDA device found")
    dv.add_argument("--json", action="store_true", help="print them as a JSON list")
    if command in (None, "train"):
        _train_parser(sub)
    else:
        sub.add_parser("train", help=TRAIN_HELP)
    e = sub.add_parser("evaluate", help="evaluate a trained run (loss and metrics)")
    e.add_argument("run_dir", metavar="RUN_DIR")
    e.add_argument("--data", metavar="SPEC", help="evaluate on other data (default: the run's own)")
    e.add_argument("--split", choices=("test", "val", "train"), default="test")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    x = sub.add_parser("export", help="export a trained run to ONNX and check it against torch")
    x.add_argument("run_dir", metavar="RUN_DIR")
    x.add_argument("-o", "--output", required=True, metavar="MODEL.onnx")
    x.add_argument("--opset", type=int, default=DEFAULT_OPSET,
                   help=f"the ONNX operator set, {MIN_OPSET}–{MAX_OPSET} (default {DEFAULT_OPSET})")
    x.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |onnx − torch| (default 1e-4)")
    x.add_argument("--no-preprocessing", dest="preprocessing", action="store_false",
                   help="leave the input normalisation out of the model: it then expects input already normalised "
                        "(its metadata says how)")
    x.add_argument("--json", action="store_true")
    pr = sub.add_parser("predict", help="run an ONNX model on a .npy/.npz/.csv/image file")
    pr.add_argument("model", metavar="MODEL.onnx")
    pr.add_argument("--input", required=True, metavar="FILE")
    pr.add_argument("--top-k", type=int, default=5)
    pr.add_argument("--json", action="store_true")
    return p


TRAIN_HELP = "train a graph on data; writes a run directory"


def _train_parser(sub) -> None:
    from .train.config import LOSSES, MODES, MONITORS, OPTIMIZERS, SCHEDULES

    t = sub.add_parser("train", help=TRAIN_HELP,
                       description="Train FILE. Settings come from the file's \"training\" section; flags override them.")
    t.add_argument("file")
    t.add_argument("--out", required=True, metavar="RUN_DIR", help="run directory to write (weights, metrics, summary)")
    t.add_argument("--data", metavar="SPEC", help="data spec: digits, xor, csv:PATH?target=COL, npz:PATH, images:DIR …")
    t.add_argument("--epochs", type=int)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--mode", choices=MODES, help="gradient descent: mini-batch, full-batch or stochastic (batch 1)")
    t.add_argument("--optimizer", choices=OPTIMIZERS)
    t.add_argument("--lr", type=float, help="learning rate")
    t.add_argument("--momentum", type=float)
    t.add_argument("--nesterov", action="store_const", const=True)
    t.add_argument("--weight-decay", type=float)
    t.add_argument("--loss", choices=LOSSES)
    t.add_argument("--schedule", choices=SCHEDULES)
    t.add_argument("--step-size", type=int)
    t.add_argument("--gamma", type=float)
    t.add_argument("--early-stopping", type=int, metavar="PATIENCE")
    t.add_argument("--monitor", choices=MONITORS)
    t.add_argument("--grad-clip", type=float, metavar="MAX_NORM")
    t.add_argument("--seed", type=int)
    t.add_argument("--device", help="auto, cpu, cuda or cuda:N")
    t.add_argument("--no-amp", dest="amp", action="store_const", const=False, help="no mixed precision on CUDA")
    t.add_argument("--val-split", type=float)
    t.add_argument("--test-split", type=float)
    t.add_argument("--events", metavar="PATH", help="write the JSON-lines event stream here ('-' for standard output)")
    t.add_argument("--control", choices=("none", "stdin"), default="none",
                   help="stdin: read stop / pause / resume commands, one per line")
    t.add_argument("--resume", action="store_true", help="continue the run in RUN_DIR from its last epoch")
    t.add_argument("--priority", choices=("normal", "low"), default="normal",
                   help="low: train below normal CPU priority, so that an interactive program beside it (the "
                        "window starts its runs this way) stays responsive and takes only the time it uses")
    t.add_argument("--quiet", action="store_true", help="no progress output")


def _load(path: str):
    from .graph.fileformat import GraphFileError
    from .layers import load_graph

    try:
        return load_graph(path), None
    except GraphFileError as exc:
        if exc.fatal:
            raise CliError(str(exc), USAGE) from None
        return None, exc


def _load_graph_or_fail(path: str):
    """The graph in ``path``; a graph file with problems lists them and ends the command (exit 1)."""
    graph, file_error = _load(path)
    if file_error is not None:
        _print_file_problems(path, file_error)
        raise CliError(f"{path}: fix the file first (neurona check {path})", FAILED)
    return graph


def _file_problems_json(exc) -> list[dict[str, Any]]:
    return [{"node": p.node_id, "path": p.path, "severity": "error", "message": p.message, "fix": ""} for p in exc.problems]


def _print_file_problems(path: str, exc) -> None:
    print(f"{path}: {len(exc.problems)} error(s) in the file", file=sys.stderr)
    for p in exc.problems:
        print(f"  {p}", file=sys.stderr)


def _training_problems(graph):
    from .compile import Problem
    from .train.config import ConfigError, TrainConfig

    if "training" not in graph.extra:
        return []
    try:
        TrainConfig.from_dict(graph.extra["training"])
    except ConfigError as exc:
        return [Problem(None, str(exc), "fix or remove that setting")]
    return []


def cmd_check(args) -> int:
    from .compile import analyze

    graph, file_error = _load(args.file)
    if file_error is not None:
        if args.json:
            print(json.dumps({"file": args.file, "valid": False, "errors": _file_problems_json(file_error), "warnings": []}, indent=2))
        else:
            _print_file_problems(args.file, file_error)
        return FAILED
    analysis = analyze(graph)
    analysis.problems.extend(_training_problems(graph))
    if args.json:
        print(json.dumps({"file": args.file, "valid": analysis.ok,
                          "errors": [p.to_json() for p in analysis.errors],
                          "warnings": [p.to_json() for p in analysis.warnings]}, indent=2, ensure_ascii=False))
        return OK if analysis.ok else FAILED
    for p in analysis.problems:
        print(f"  {p}", file=sys.stdout if analysis.ok else sys.stderr)
    if analysis.ok:
        print(f"{args.file}: valid — {len(graph)} nodes, {analysis.total_params:,} parameters"
              + (f", {len(analysis.warnings)} warning(s)" if analysis.warnings else ""))
        return OK
    print(f"{args.file}: invalid — {len(analysis.errors)} error(s)", file=sys.stderr)
    return FAILED


def cmd_summary(args) -> int:
    from .compile.summary import summarize

    graph = _load_graph_or_fail(args.file)
    summary = summarize(graph)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        print(summary.to_text())
        if not summary.ok:
            print(f"the graph has errors (see: neurona check {args.file})", file=sys.stderr)
    return OK if summary.ok else FAILED


def cmd_codegen(args) -> int:
    from .compile import CompileError
    from .compile.codegen import generate
    from .graph.fileformat import atomic_write

    graph = _load_graph_or_fail(args.file)
    try:
        source = generate(graph, source_name=Path(args.file).name)
    except CompileError as exc:
        print(f"{args.file}: cannot generate code, the graph has {len(exc.problems)} error(s)", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return FAILED
    if args.output:
        try:
            atomic_write(Path(args.output), source.encode("utf-8"))
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(source)
    return OK


def cmd_layers(args) -> int:
    from .layers import CATALOGUE

    if args.json:
        print(json.dumps([{"type": s.type, "category": s.category, "label": s.label, "keywords": list(s.keywords),
                           "params": [{"name": p.name, "kind": p.kind, "default": p.default, "help": p.help}
                                      for p in s.params]} for s in CATALOGUE.values()], indent=2, ensure_ascii=False))
    else:
        for s in CATALOGUE.values():
            print(f"{s.category:<14} {s.type:<24} {s.label}")
    return OK


_OVERRIDES = ("data", "epochs", "batch_size", "mode", "optimizer", "lr", "momentum", "nesterov", "weight_decay", "loss",
              "schedule", "step_size", "gamma", "early_stopping", "monitor", "grad_clip", "seed", "device", "amp",
              "val_split", "test_split")


_lowered = False


def lower_priority() -> None:
    """Below-normal CPU priority for this process and the threads it starts from now on (call it
    before torch starts its thread pool). Best effort: where the system refuses, nothing changes.
    Once per process: a warm worker's runs each ask for it, and ``nice`` adds up."""
    global _lowered
    if _lowered:
        return
    _lowered = True
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x4000
            ctypes.windll.kernel32.SetPriorityClass(ctypes.windll.kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(10)
    except (OSError, AttributeError):
        pass


def cmd_train(args, control=None) -> int:
    """``neurona train``. ``control``: where stop / pause / resume come from when the caller reads
    them itself (the warm worker reads its standard input for runs and commands alike); without
    it, ``--control stdin`` reads them from standard input here."""
    import signal

    if args.priority == "low":
        lower_priority()

    from .data import DataError, load_data
    from .train import ConfigError, Control, TrainConfig, Trainer, TrainingFailed
    from .train import events as ev
    from .train.progress import ProgressBar

    graph = _load_graph_or_fail(args.file)
    try:
        config = TrainConfig.from_dict(graph.extra.get("training", {}), where=f"{args.file}: training")
        config = config.replace(**{k: getattr(args, k) for k in _OVERRIDES})
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    if not config.data:
        raise CliError(f"{args.file}: no data to train on — pass --data (e.g. --data digits) or set \"data\" in the "
                       "file's training section")

    sink = None
    if args.events == "-":
        sink = sys.stdout
    elif args.events:
        try:
            sink = open(args.events, "w", encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write events to {args.events}: {exc.strerror or exc}") from None
    show = not args.quiet and not (args.events == "-" and not sys.stderr.isatty())
    stream = ev.EventStream(sink, ProgressBar(sys.stderr) if show else None)
    if control is None:
        control = Control()
        if args.control == "stdin":
            control.listen(sys.stdin)
    previous = signal.signal(signal.SIGINT, lambda *_: control.stop())  # Ctrl+C: stop cleanly, keep the run
    try:
        try:
            splits = load_data(config.data, seed=config.seed, val_split=config.val_split, test_split=config.test_split)
        except DataError as exc:
            stream.emit(ev.Error("data", str(exc)))
            raise CliError(f"data: {exc}") from None
        try:
            trainer = Trainer(graph, splits, config, args.out, stream=stream, control=control)
            trainer.run(resume=args.resume)
        except TrainingFailed as exc:
            stream.emit(exc.event())
            print(f"training failed: {exc}", file=sys.stderr)
            return USAGE if exc.code == "config" else FAILED
        return OK
    finally:
        signal.signal(signal.SIGINT, previous)
        if sink is not None and sink is not sys.stdout:
            sink.close()


def _open_trained(run_dir: str, data_spec: str | None, verb: str):
    """A run directory with its data (the run's own, or ``data_spec``) and its best weights
    loaded. Unusable folder or data → exit 2; data that does not fit the network → exit 1."""
    from .data import DataError, load_data
    from .train import TrainingFailed
    from .train.runs import RunError, open_run, trained

    try:
        run = open_run(run_dir)
    except RunError as exc:
        raise CliError(str(exc)) from None
    cfg = run.config
    spec = data_spec or run.data.get("spec") or cfg.data
    try:
        splits = load_data(spec, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
    except DataError as exc:
        raise CliError(f"data: {exc}") from None
    try:
        return run, spec, trained(run, splits)
    except TrainingFailed as exc:
        raise CliError(f"cannot {verb}: {exc}", FAILED) from None


def cmd_devices(args) -> int:
    from .train.devices import describe, list_devices

    devices = list_devices()
    if args.json:
        print(json.dumps(devices))
    else:
        for d in devices:
            print(describe(d))
        if len(devices) == 1:
            print("no CUDA device found: training runs on the CPU (--device auto picks it)")
    return 0


def cmd_evaluate(args) -> int:
    run, spec, trainer = _open_trained(args.run_dir, args.data, "evaluate")
    if not len(getattr(trainer.splits, args.split)):
        raise CliError(f"the {args.split} split of {spec} is empty; choose --split train or val")
    result = {"run": str(run.path), "data": spec, "split": args.split, "samples": len(getattr(trainer.splits, args.split)),
              "weights": run.weights.name, "task": trainer.splits.task, **trainer.evaluate_split(args.split)}
    if args.json:
        print(json.dumps(result, indent=2))
        return OK
    print(f"{run.path} on {spec} ({args.split}, {result['samples']:,} samples, {run.weights.name})")
    print(f"  loss       {result['loss']:.5g}")
    for key in ("accuracy", "precision", "recall", "f1", "mse", "rmse", "mae", "r2"):
        if key in result:
            print(f"  {key:<10} {result[key]:.4f}")
    if "confusion_matrix" in result:
        names = result["class_names"]
        width = max(5, *(len(n) for n in names))
        print("  confusion matrix (rows: true class, columns: predicted)")
        print("  " + " " * width + "".join(f"{n:>{width + 1}}" for n in names))
        for name, row in zip(names, result["confusion_matrix"]):
            print(f"  {name:>{width}}" + "".join(f"{v:>{width + 1}}" for v in row))
    return OK


def cmd_export(args) -> int:
    import numpy as np
    import torch

    from .deploy.onnx_export import DeployError, export_onnx
    from .deploy.parity import check_parity
    from .deploy.preprocessing import to_raw_units, with_normalization
    from .layers import dump_graph
    from .train import TrainingFailed
    from .train.runs import RunError, open_run, trained_module

    try:
        run = open_run(args.run_dir)
        module, analysis = trained_module(run)
    except RunError as exc:
        raise CliError(str(exc)) from None
    except TrainingFailed as exc:
        raise CliError(f"cannot export: {exc}", FAILED) from None
    samples, note = _parity_samples(run, analysis)
    if note:
        print(f"note: {note}", file=sys.stderr)
    normalization = run.data.get("normalization")
    if normalization is None or samples.dtype.kind != "f":
        preprocessing = "none"
    elif args.preprocessing:
        # The model takes the data's own units and normalises them itself, as training did, so a
        # bare runtime computes what predict computes; parity is checked on those units too.
        preprocessing = "inside"
        try:
            module = with_normalization(module, normalization, samples)
            samples = np.ascontiguousarray(to_raw_units(normalization, samples))
        except DeployError as exc:
            raise CliError(f"cannot export: the run's data.json has a normalization that does not fit its graph "
                           f"({exc}); export with --no-preprocessing", FAILED) from None
    else:
        preprocessing = "outside"
    example = torch.as_tensor(samples[: max(2, min(8, len(samples)))])
    if example.shape[0] < 2:  # the batch axis must not be specialised to 1
        example = torch.cat([example, example])
    metadata = {
        "neurona.graph": dump_graph(run.graph),
        "neurona.task": run.data.get("task", ""),
        "neurona.class_names": json.dumps(run.data.get("class_names")),
        "neurona.normalization": json.dumps(normalization),
        "neurona.preprocessing": preprocessing,
        "neurona.data": run.data.get("spec", ""),
    }
    if run.data.get("raw_range") is not None:
        metadata["neurona.raw_range"] = json.dumps(run.data["raw_range"])
    try:
        report = export_onnx(module, args.output, example_inputs=(example,), input_names=analysis.inputs(),
                             output_names=analysis.outputs(), opset=args.opset, metadata=metadata)
        parity = check_parity(module, args.output, (samples,), atol=args.tolerance)
    except DeployError as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return FAILED
    verdict = "passed" if parity.passed else "FAILED"
    if args.json:
        print(json.dumps({"path": report.path, "opset": report.opset, "exporter": report.exporter,
                          "seconds": report.seconds, "parity": {"max_abs_diff": parity.max_abs_diff,
                                                                "tolerance": parity.atol, "samples": parity.samples,
                                                                "passed": parity.passed},
                          "notes": [note] if note else []}, indent=2))
    else:
        print(f"exported {report.path} (opset {report.opset}, {report.seconds:.1f} s)")
        print(f"parity with torch on {parity.samples} samples: max |difference| = {parity.max_abs_diff:.3g} "
              f"(tolerance {parity.atol:g}) — {verdict}")
    if not parity.passed:
        print(f"the ONNX model differs from torch by {parity.max_abs_diff:.3g}, more than {parity.atol:g}: do not ship it",
              file=sys.stderr)
        return FAILED
    return OK


def _parity_samples(run, analysis):
    """(samples, note): up to 256 of the run's test samples, as the network receives them, to export
    with and check parity on — from its data if that still loads, else the ones the run kept in
    samples.npz (``note`` says so). Neither → exit 1, naming both."""
    import numpy as np

    from .data import DataError, load_data
    from .train.runs import run_samples

    cfg = run.config
    spec = run.data.get("spec") or cfg.data
    try:
        splits = load_data(spec, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
        info = analysis.nodes[analysis.inputs()[0]]
        splits = splits.adapt(tuple(info.params["shape"]), info.params["dtype"])  # as the run trained on it
    except DataError as exc:
        kept = run_samples(run)
        if kept is None:
            raise CliError(f"cannot export: the run's data does not load ({exc}) and the run kept no test samples "
                           f"(samples.npz) to check the export on — put the data back where it was", FAILED) from None
        return (np.ascontiguousarray(kept),
                f"the run's data does not load ({exc}); checking the export on the {len(kept)} test samples the run kept")
    source = next(s for s in (splits.test, splits.val, splits.train) if len(s))
    return np.ascontiguousarray(source.x[:256]), None


def cmd_predict(args) -> int:
    from .deploy.errors import DeployError
    from .deploy.runner import predict_file

    if args.top_k < 1:
        raise CliError("--top-k must be at least 1")
    try:
        result = predict_file(args.model, args.input, top_k=args.top_k)
    except DeployError as exc:
        raise CliError(f"predict: {exc}") from None
    if args.json:
        print(json.dumps(result))
        return OK
    for note in result.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    if result.get("top_k"):
        for i, ranked in enumerate(result["top_k"]):
            best = ", ".join(f"{r['label']} {r['probability']:.1%}" for r in ranked)
            print(f"sample {i}: {best}")
    else:
        for name, value in result["outputs"].items():
            print(f"{name}: {json.dumps(value)}")
    print(f"({result['seconds'] * 1000:.2f} ms in onnxruntime)", file=sys.stderr)
    return OK


def cmd_window(argv: Sequence[str]) -> int:
    """``neurona [FILE]``: the desktop editor, with FILE open (or the XOR example)."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        raise CliError(f"neurona: unknown command {argv[0]!r}; commands: {', '.join(COMMANDS)} (see neurona --help)")
    path = argv[0] if argv else None
    if path is not None and not Path(path).exists() and Path(path).suffix != ".neurona" and "/" not in path:
        raise CliError(f"neurona: {path!r} is neither a command ({', '.join(COMMANDS)}) nor a file")
    from .ui.app import display_problem, run

    problem = display_problem()
    if problem:
        raise CliError(f"neurona: {problem}")
    return run(path, example=None if path else str(_example("xor.neurona")))


def _example(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples" / name, here.parent / "examples" / name):
        if candidate.exists():
            return candidate
    raise CliError(f"the bundled example {name} is missing from this installation", FAILED)


def cmd_worker(argv: Sequence[str]) -> int:
    """``python -m studio worker [--priority low]`` (not listed: the window starts it): a warm
    process that runs one ``neurona train`` after another, each asked for on standard input
    (``studio.train.worker``), through the same ``cmd_train`` and the same exit codes."""
    if list(argv) not in ([], ["--priority", "low"], ["--priority", "normal"]):
        raise CliError("usage: python -m studio worker [--priority low]")
    if argv[-1:] == ["low"]:
        lower_priority()  # before torch starts its threads: they inherit it
    from .train.worker import serve

    return serve(lambda run_argv, control: _guarded(lambda: cmd_train(_parser().parse_args(["train", *run_argv]),
                                                                        control)))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [WORKER]:
        return _guarded(lambda: cmd_worker(argv[1:]))
    return _guarded(lambda: _command(argv))


def _command(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        return cmd_window(argv)
    args = _parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    return {"check": cmd_check, "summary": cmd_summary, "codegen": cmd_codegen, "layers": cmd_layers,
            "train": cmd_train, "devices": cmd_devices, "evaluate": cmd_evaluate, "export": cmd_export,
            "predict": cmd_predict}[args.command](args)


def _guarded(command) -> int:
    """Run ``command()`` as the ``neurona`` command does: its exit code, and a failure as one
    line on stderr with its exit code, never a traceback."""
    try:
        return command()
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return OK
    except Exception as exc:  # never a traceback for the user; the one line says what broke
        print(f"neurona: internal error: {type(exc).__name__}: {exc} (please report this with the file that caused it)",
              file=sys.stderr)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
