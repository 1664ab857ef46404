"""The ``neurona`` command: the desktop window by default, headless subcommands for scripts.

    neurona check FILE [--json]        validate; exit 0 valid, 1 invalid, 2 unreadable
    neurona summary FILE [--json]      Keras-like table of shapes and parameters
    neurona codegen FILE [-o OUT.py]   standalone PyTorch source
    neurona layers [--json]            the layer catalogue

Exit codes everywhere: 0 success, 1 the work failed (e.g. an invalid graph), 2 bad usage or an
unreadable input — always with a one-line reason on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__

OK, FAILED, USAGE = 0, 1, 2
COMMANDS = ("check", "summary", "codegen", "layers")


class CliError(Exception):
    def __init__(self, message: str, code: int = USAGE) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line on stderr, exit 2 (argparse prints usage too)
        raise CliError(f"{self.prog}: {message} (see {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
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
    return p


def _load(path: str):
    from .graph.fileformat import GraphFileError
    from .layers import load_graph

    try:
        return load_graph(path), None
    except GraphFileError as exc:
        if exc.fatal:
            raise CliError(str(exc), USAGE) from None
        return None, exc


def _file_problems_json(exc) -> list[dict[str, Any]]:
    return [{"node": p.node_id, "path": p.path, "severity": "error", "message": p.message, "fix": ""} for p in exc.problems]


def _print_file_problems(path: str, exc) -> None:
    print(f"{path}: {len(exc.problems)} error(s) in the file", file=sys.stderr)
    for p in exc.problems:
        print(f"  {p}", file=sys.stderr)


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

    graph, file_error = _load(args.file)
    if file_error is not None:
        _print_file_problems(args.file, file_error)
        return FAILED
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

    graph, file_error = _load(args.file)
    if file_error is not None:
        _print_file_problems(args.file, file_error)
        return FAILED
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


def cmd_window(argv: Sequence[str]) -> int:
    """``neurona [FILE]``: the desktop editor is not part of this release yet; say so, and
    still give something useful: the summary of the file (or of the bundled XOR example)."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        raise CliError(f"neurona: unknown command {argv[0]!r}; commands: {', '.join(COMMANDS)} (see neurona --help)")
    path = argv[0] if argv else str(_example("xor.neurona"))
    print("The Neurona Studio desktop editor is not in this release yet; it will open here.\n"
          "Meanwhile the headless commands work: neurona check | summary | codegen FILE.\n", file=sys.stderr)
    return cmd_summary(argparse.Namespace(file=path, json=False))


def _example(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples" / name, here.parent / "examples" / name):
        if candidate.exists():
            return candidate
    raise CliError(f"the bundled example {name} is missing from this installation", FAILED)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return cmd_window(argv)
        args = _parser().parse_args(argv)
        return {"check": cmd_check, "summary": cmd_summary, "codegen": cmd_codegen, "layers": cmd_layers}[args.command](args)
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
