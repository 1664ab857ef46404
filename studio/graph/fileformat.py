"""The ``.neurona`` file: versioned JSON (schema in resources/schema/, format in docs/).

Loading parses and validates everything before it returns a new ``Graph``; any problem raises
``GraphFileError`` naming the JSON path (and node id) of each problem, so nothing is ever
half-loaded. Saving is atomic. Files are data: nothing in them is evaluated.

No Qt, no torch. Layer types are checked through a catalogue passed in by the caller
(``studio.layers.load_graph`` passes the real one), because the document knows no layer types.
"""

from __future__ import annotations

import copy
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Protocol

from .model import DEFAULT_IN, DEFAULT_OUT, Edge, Graph, Node, node_id_problem, show_value

FORMAT = "neurona-graph"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 100_000
MAX_PROBLEMS = 50
_TOP_KEYS = ("format", "version", "name", "description", "nodes", "edges", "training")
_NODE_KEYS = ("id", "type", "params", "position")
_EDGE_KEYS = ("from", "to")


class SpecLike(Protocol):
    type: str
    variadic: bool

    def param_problems(self, params: Mapping[str, Any]) -> list[tuple[str, str]]: ...
    def has_input(self, name: str) -> bool: ...
    def has_output(self, name: str) -> bool: ...
    def input_names(self, connected: int = 0) -> list[str]: ...
    @property
    def default_input(self) -> str | None: ...
    @property
    def default_output(self) -> str | None: ...


@dataclass(frozen=True)
class FileProblem:
    path: str  # JSON path, e.g. $.nodes[2].params.out_features
    message: str
    node_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.path} (node {self.node_id!r})" if self.node_id else self.path
        return f"{where}: {self.message}"


class GraphFileError(ValueError):
    """A file that cannot be loaded. ``fatal`` means it is not a graph file at all (unreadable,
    not JSON, another format or a newer version); otherwise ``problems`` lists what is wrong."""

    def __init__(self, problems: list[FileProblem], *, fatal: bool = False, source: str = "") -> None:
        self.problems = problems
        self.fatal = fatal
        self.source = source
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{source + ': ' if source else ''}{first}{more}")


# -- reading -----------------------------------------------------------------------------------

def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a graph file (numbers must be finite)")


def loads(text: str | bytes, catalogue: Mapping[str, SpecLike] | None = None, *, source: str = "") -> Graph:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GraphFileError([FileProblem("$", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")],
                                 fatal=True, source=source) from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise GraphFileError([FileProblem("$", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")],
                             fatal=True, source=source) from None
    except (ValueError, RecursionError) as exc:
        msg = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise GraphFileError([FileProblem("$", f"not a usable JSON document: {msg}")], fatal=True, source=source) from None
    return from_data(data, catalogue, source=source)


def load(path: str | os.PathLike, catalogue: Mapping[str, SpecLike] | None = None) -> Graph:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise GraphFileError([FileProblem("$", f"the file is {size:,} bytes; graph files are at most {MAX_BYTES:,}")],
                                 fatal=True, source=str(path))
        raw = path.read_bytes()
    except GraphFileError:
        raise
    except IsADirectoryError:
        raise GraphFileError([FileProblem("$", "this is a folder, not a graph file")], fatal=True, source=str(path)) from None
    except OSError as exc:
        raise GraphFileError([FileProblem("$", f"cannot read the file: {exc.strerror or exc}")], fatal=True,
                             source=str(path)) from None
    return loads(raw, catalogue, source=str(path))


def from_data(data: Any, catalogue: Mapping[str, SpecLike] | None = None, *, source: str = "") -> Graph:
    reader = _Reader(catalogue)
    graph = reader.read(data, source)
    if reader.problems:
        raise GraphFileError(reader.problems[:MAX_PROBLEMS], source=source)
    return graph


class _Stop(Exception):
    pass


class _Reader:
    def __init__(self, catalogue: Mapping[str, SpecLike] | None) -> None:
        self.catalogue = catalogue
        self.problems: list[FileProblem] = []
        self.rejected: set[str] = set()

    def problem(self, path: str, message: str, node_id: str | None = None) -> None:
        self.problems.append(FileProblem(path, message, node_id))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def read(self, data: Any, source: str) -> Graph:
        try:
            return self._read(data, source)
        except _Stop:
            return Graph()

    def _read(self, data: Any, source: str) -> Graph:
        if not isinstance(data, dict):
            raise GraphFileError([FileProblem("$", f"expected a JSON object, found {_kind(data)}")], fatal=True, source=source)
        if data.get("format") != FORMAT:
            found = data.get("format")
            what = f"its format is {found!r}" if isinstance(found, str) else "it has no \"format\": \"neurona-graph\" key"
            raise GraphFileError([FileProblem("$.format", f"not a Neurona graph file: {what}")], fatal=True, source=source)
        version = data.get("version")
        if not _is_int(version) or version < 1:
            raise GraphFileError([FileProblem("$.version", f"\"version\" must be a positive whole number, not {show_value(version)}")],
                                 fatal=True, source=source)
        if version > VERSION:
            raise GraphFileError([FileProblem("$.version", f"the file is format version {show_value(version)}, made by a newer Neurona "
                                              f"Studio; this one reads up to version {VERSION} — update the program")],
                                 fatal=True, source=source)
        for key in data:
            if key not in _TOP_KEYS:
                self.problem(f"$.{_key(key)}", f"unknown key {key!r}; a graph file has {', '.join(_TOP_KEYS)}")
        graph = Graph()
        name = data.get("name", "untitled")
        if isinstance(name, str) and len(name) <= 200 and not _text_problem(name):
            graph.name = name
        else:
            self.problem("$.name", "\"name\" must be text of at most 200 characters")
        desc = data.get("description", "")
        if isinstance(desc, str) and len(desc) <= 100_000 and not _text_problem(desc):
            graph.description = desc
        else:
            self.problem("$.description", "\"description\" must be valid text of at most 100,000 characters")
        if "training" in data:
            # Settings for ``neurona train``; plain data, checked in full by studio.train.config
            # (``neurona check`` and training both do), kept here as the file wrote them.
            training = data["training"]
            if isinstance(training, dict) and _small_json(training):
                graph.extra["training"] = copy.deepcopy(training)
            else:
                self.problem("$.training", "\"training\" must be an object of training settings")
        nodes = data.get("nodes")
        if not isinstance(nodes, list):
            self.problem("$.nodes", f"\"nodes\" must be a list of nodes, not {_kind(nodes)}")
            nodes = []
        elif len(nodes) > MAX_NODES:
            self.problem("$.nodes", f"{len(nodes):,} nodes is more than the {MAX_NODES:,} a graph may have")
            nodes = []
        specs: dict[str, SpecLike | None] = {}
        for i, raw in enumerate(nodes):
            node = self._node(raw, f"$.nodes[{i}]")
            if node is None:
                if isinstance(raw, dict) and isinstance(raw.get("id"), str) and not node_id_problem(raw["id"]):
                    self.rejected.add(raw["id"])  # reported already; its wires need no second error
                continue
            if node.id in graph.nodes:
                self.problem(f"$.nodes[{i}].id", f"the id {node.id!r} is used twice; ids must be unique", node.id)
                continue
            graph.nodes[node.id] = node
            specs[node.id] = self.catalogue.get(node.type) if self.catalogue is not None else None
        edges = data.get("edges", [])
        if not isinstance(edges, list):
            self.problem("$.edges", f"\"edges\" must be a list of wires, not {_kind(edges)}")
            edges = []
        taken: set[tuple[str, str]] = set()
        next_index: dict[str, int] = {}
        seen: set[Edge] = set()
        for i, raw in enumerate(edges):
            edge = self._edge(raw, f"$.edges[{i}]", graph, specs, taken, next_index)
            if edge is None:
                continue
            if edge in seen:
                self.problem(f"$.edges[{i}]", "this wire appears twice", edge.dst)
                continue
            graph.edges.append(edge)
            seen.add(edge)
            taken.add((edge.dst, edge.dst_port))
        return graph

    def _node(self, raw: Any, path: str) -> Node | None:
        if not isinstance(raw, dict):
            self.problem(path, f"a node must be an object with \"id\" and \"type\", not {_kind(raw)}")
            return None
        node_id = raw.get("id")
        bad_id = node_id_problem(node_id)
        if bad_id:
            self.problem(f"{path}.id", bad_id)
            return None
        ok = True
        for key in raw:
            if key not in _NODE_KEYS:
                self.problem(f"{path}.{_key(key)}", f"unknown key {key!r}; a node has {', '.join(_NODE_KEYS)}", node_id)
                ok = False
        type_ = raw.get("type")
        if not isinstance(type_, str) or not type_ or len(type_) > 100 or _text_problem(type_):
            self.problem(f"{path}.type", "\"type\" must be a layer type name such as \"Linear\"", node_id)
            return None
        params = raw.get("params", {})
        if not isinstance(params, dict):
            self.problem(f"{path}.params", f"\"params\" must be an object, not {_kind(params)}", node_id)
            return None
        position = raw.get("position")
        if position is not None:
            if (isinstance(position, list) and len(position) == 2 and all(_is_num(v) and abs(v) < 1e9
                                                                          for v in position)):
                position = (float(position[0]), float(position[1]))
            else:
                self.problem(f"{path}.position", "\"position\" must be [x, y] with two finite numbers", node_id)
                ok = False
        if self.catalogue is not None:
            spec = self.catalogue.get(type_)
            if spec is None:
                close = [k for k in self.catalogue if k.lower() == type_.lower()]
                hint = f"; did you mean {close[0]!r}?" if close else " (types are torch.nn class names, e.g. Linear, Conv2d)"
                self.problem(f"{path}.type", f"unknown layer type {type_!r}{hint}", node_id)
                return None
            for key, message in spec.param_problems(params):
                self.problem(f"{path}.params.{_key(key)}", message, node_id)
                ok = False
        if not ok:
            return None
        return Node(node_id, type_, copy.deepcopy(params), position)

    def _endpoint(self, raw: Any, path: str, graph: Graph) -> tuple[str, str | None] | None:
        if not isinstance(raw, str):
            self.problem(path, f"must be a node id or \"id:port\", not {_kind(raw)}")
            return None
        node_id, sep, port = raw.partition(":")
        if node_id in self.rejected and node_id not in graph.nodes:
            return None
        if node_id not in graph.nodes:
            self.problem(path, f"there is no node {node_id!r}" if len(node_id) <= 80 else "there is no such node")
            return None
        if sep and (not port or len(port) > 64 or not port.isascii() or not port.replace("_", "").isalnum()):
            self.problem(path, f"{raw[:80]!r} has an empty or malformed port name after ':'", node_id)
            return None
        return node_id, (port if sep else None)

    def _edge(self, raw, path, graph, specs, taken, next_index) -> Edge | None:
        if not isinstance(raw, dict):
            self.problem(path, f"a wire must be an object with \"from\" and \"to\", not {_kind(raw)}")
            return None
        extra = [k for k in raw if k not in _EDGE_KEYS]
        for key in extra:
            self.problem(f"{path}.{_key(key)}", f"unknown key {key!r}; a wire has \"from\" and \"to\"")
        src = self._endpoint(raw.get("from"), f"{path}.from", graph)
        dst = self._endpoint(raw.get("to"), f"{path}.to", graph)
        if src is None or dst is None or extra:
            return None
        (s, s_port), (d, d_port) = src, dst
        if s == d:
            self.problem(path, f"node {s!r} is wired to itself", d)
            return None
        s_spec, d_spec = specs.get(s), specs.get(d)
        if s_port is None:
            s_port = (s_spec.default_output if s_spec else None) or DEFAULT_OUT
        if s_spec is not None and not s_spec.has_output(s_port):
            outs = ", ".join(p.name for p in getattr(s_spec, "outputs", ())) or "none"
            self.problem(f"{path}.from", f"{s_spec.type} has no output port {s_port!r} (its outputs: {outs})", s)
            return None
        if d_port is None:
            if d_spec is not None and d_spec.variadic:
                i = next_index.get(d, 0)
                while (d, str(i)) in taken:
                    i += 1
                d_port = str(i)
                next_index[d] = i + 1
            else:
                d_port = (d_spec.default_input if d_spec else None) or DEFAULT_IN
        if d_spec is not None and not d_spec.has_input(d_port):
            ins = ", ".join(d_spec.input_names()) or "none"
            self.problem(f"{path}.to", f"{d_spec.type} has no input port {d_port!r} (its inputs: {ins})", d)
            return None
        if (d, d_port) in taken:
            self.problem(f"{path}.to", f"input {d_port!r} of {d!r} already has a wire; one input takes one wire "
                         "(merge branches with Add or Concat)", d)
            return None
        return Edge(s, d, s_port, d_port)


# -- writing -----------------------------------------------------------------------------------

def to_data(graph: Graph, catalogue: Mapping[str, SpecLike] | None = None) -> dict[str, Any]:
    nodes = []
    for n in graph.nodes.values():
        item: dict[str, Any] = {"id": n.id, "type": n.type}
        if n.params:
            item["params"] = n.params
        if n.position is not None:
            item["position"] = [_round(n.position[0]), _round(n.position[1])]
        nodes.append(item)
    edges = []
    for e in graph.edges:
        s_spec = catalogue.get(graph.nodes[e.src].type) if catalogue else None
        d_spec = catalogue.get(graph.nodes[e.dst].type) if catalogue else None
        s_default = (s_spec.default_output if s_spec else None) or DEFAULT_OUT
        d_default = None if (d_spec is not None and d_spec.variadic) else (
            (d_spec.default_input if d_spec else None) or DEFAULT_IN)
        edges.append({"from": e.src if e.src_port == s_default else f"{e.src}:{e.src_port}",
                      "to": e.dst if e.dst_port == d_default else f"{e.dst}:{e.dst_port}"})
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": graph.name}
    if graph.description:
        data["description"] = graph.description
    data["nodes"] = nodes
    data["edges"] = edges
    if "training" in graph.extra:
        data["training"] = graph.extra["training"]
    return data


def dumps(graph: Graph, catalogue: Mapping[str, SpecLike] | None = None) -> str:
    return json.dumps(to_data(graph, catalogue), indent=2, ensure_ascii=False) + "\n"


def save(graph: Graph, path: str | os.PathLike, catalogue: Mapping[str, SpecLike] | None = None) -> None:
    """Write atomically: a temporary file in the same folder, fsync, then rename over ``path``."""
    atomic_write(Path(path), dumps(graph, catalogue).encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    write_atomically(Path(path), write)


def write_atomically(path: Path, write) -> None:
    """Call ``write(temporary_path)`` for a file beside ``path``, then rename it over ``path``:
    readers see the old file or the new one, never half of one."""
    path = Path(path)
    import tempfile  # here, not at the top: the window starts without it
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _round(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v  # floats round-trip exactly through JSON


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _kind(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def _key(key: Any) -> str:
    k = str(key)
    if k.isidentifier() and len(k) <= 64:
        return k
    return json.dumps(k[:64] + ("…" if len(k) > 64 else ""))


def _text_problem(s: str) -> str | None:
    """Text that cannot be written back as UTF-8 (a lone surrogate from a \\ud800 escape)."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an invalid character (an unpaired \\uD800–\\uDFFF escape)"
    return None


def _small_json(value: Any, limit: int = 100_000) -> bool:
    try:
        return len(json.dumps(value)) <= limit
    except (TypeError, ValueError, RecursionError):
        return False
