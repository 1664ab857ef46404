"""The graph document: nodes, edges and the primitive mutations that emit change events.

No Qt, no torch, and no knowledge of layer types: the document stores a type name and a
params dictionary; what they mean is the catalogue's business (``studio.layers``).
Edits that a user makes go through ``studio.graph.edits`` so they can be undone.
"""

from __future__ import annotations

import copy
import heapq
import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .events import Change, Emitter

DEFAULT_OUT = "out"
DEFAULT_IN = "in"

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# torch.fx renames a value called ``input`` or ``max`` to ``input_1``, and the compiled forward must
# use node ids as they are, so Python's builtin names are reserved too. A fixed list, not
# dir(builtins): other libraries add to builtins at run time (PySide6 adds qApp).
_PYTHON_BUILTINS = frozenset(
    """
    ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
    BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError
    ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError
    Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError
    FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError
    ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError
    KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None NotADirectoryError
    NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning
    PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError
    RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError
    SystemExit TabError TimeoutError True TypeError UnboundLocalError UnicodeDecodeError
    UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError
    Warning ZeroDivisionError abs aiter all anext any ascii bin bool breakpoint bytearray bytes
    callable chr classmethod compile complex delattr dict dir divmod enumerate eval exec filter
    float format frozenset getattr globals hasattr hash hex id input int isinstance issubclass iter
    len list locals map max memoryview min next object oct open ord pow print property range repr
    reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip
    copyright credits exit help license quit
    """.split()
)
# Node ids become submodule attribute names and local variable names in generated code, so
# they must not shadow nn.Module's own attributes or the names the generated code uses.
RESERVED_IDS = frozenset(
    """
    T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda
    double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter
    get_submodule half ipu load_state_dict modules mtia named_buffers named_children
    named_modules named_parameters parameters register_backward_hook register_buffer
    register_forward_hook register_forward_pre_hook register_full_backward_hook
    register_full_backward_pre_hook register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_module register_parameter
    register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state
    set_submodule share_memory state_dict to to_empty train type xpu zero_grad training
    torch nn self operator math F
    """.split()
) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | _PYTHON_BUILTINS


def show_value(v: Any, limit: int = 40) -> str:
    """Quote a value from a file in a message, whatever it is (huge, nested, not JSON)."""
    try:
        s = json.dumps(v, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        if isinstance(v, int):
            s = "a number with more than 4,000 digits"
        elif isinstance(v, (list, dict)):
            s = "a deeply nested value" if isinstance(v, list) else "an object"
        else:
            s = f"a {type(v).__name__}"
    return s if len(s) <= limit else s[: limit - 3] + "..."


class GraphError(ValueError):
    """A mutation that the document refuses (duplicate id, unknown node, repeated edge)."""


def node_id_problem(node_id: object) -> str | None:
    """Why ``node_id`` is not a usable node id, or None when it is fine."""
    if not isinstance(node_id, str) or not _ID_RE.fullmatch(node_id):
        return (
            f"{show_value(node_id)} is not a valid node id: use a letter followed by letters, digits or "
            "underscores (at most 64 characters), for example 'dense1'"
        )
    if node_id in RESERVED_IDS:
        return f"'{node_id}' is a reserved name in PyTorch or Python; choose another id, such as '{node_id}1'"
    return None


@dataclass
class Node:
    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] | None = None

    def copy(self) -> "Node":
        return Node(self.id, self.type, copy.deepcopy(self.params), self.position)


@dataclass(frozen=True, order=True)
class Edge:
    """A wire from an output port of one node to an input port of another."""

    src: str
    dst: str
    src_port: str = DEFAULT_OUT
    dst_port: str = DEFAULT_IN

    def renamed(self, old: str, new: str) -> "Edge":
        return Edge(
            new if self.src == old else self.src,
            new if self.dst == old else self.dst,
            self.src_port,
            self.dst_port,
        )


class Graph:
    """A network design: an ordered set of nodes and the edges between their ports."""

    def __init__(self, name: str = "untitled", description: str = "") -> None:
        self.name = name
        self.description = description
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.extra: dict[str, Any] = {}  # sections owned by other packages (e.g. "training")
        self.changed = Emitter()

    # -- queries -------------------------------------------------------------------------
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nodes

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise GraphError(f"there is no node {node_id!r}") from None

    def edges_into(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.dst == node_id]

    def edges_from(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.src == node_id]

    def new_id(self, prefix: str) -> str:
        """A fresh readable id: ``dense1``, ``dense2`` …"""
        base = re.sub(r"[^A-Za-z0-9_]", "", prefix).lower() or "node"
        if not base[0].isalpha():
            base = "n" + base
        base = base[:56]
        i = 1
        while f"{base}{i}" in self.nodes or node_id_problem(f"{base}{i}"):
            i += 1
        return f"{base}{i}"

    def index_of(self, node_id: str) -> int:
        return list(self.nodes).index(node_id)

    def copy(self) -> "Graph":
        g = Graph(self.name, self.description)
        g.nodes = {k: n.copy() for k, n in self.nodes.items()}
        g.edges = list(self.edges)
        g.extra = copy.deepcopy(self.extra)
        return g

    def same_as(self, other: "Graph") -> bool:
        """Content equality (events and subscribers aside)."""
        return (
            self.name == other.name
            and self.description == other.description
            and list(self.nodes) == list(other.nodes)
            and all(self.nodes[k] == other.nodes[k] for k in self.nodes)
            and sorted(self.edges) == sorted(other.edges)
            and self.extra == other.extra
        )

    # -- primitive mutations (each emits one Change) -------------------------------------
    def add_node(self, node: Node, index: int | None = None) -> Node:
        problem = node_id_problem(node.id)
        if problem:
            raise GraphError(problem)
        if node.id in self.nodes:
            raise GraphError(f"a node called {node.id!r} already exists")
        items = list(self.nodes.items())
        if index is None or index >= len(items):
            self.nodes[node.id] = node
        else:
            items.insert(max(index, 0), (node.id, node))
            self.nodes = dict(items)
        self.changed.emit(Change("node_added", node.id))
        return node

    def remove_node(self, node_id: str) -> Node:
        node = self.node(node_id)
        if any(e.src == node_id or e.dst == node_id for e in self.edges):
            raise GraphError(f"node {node_id!r} still has wires; remove them first")
        del self.nodes[node_id]
        self.changed.emit(Change("node_removed", node_id, {"node": node}))
        return node

    def move_node(self, node_id: str, position: tuple[float, float] | None) -> None:
        node = self.node(node_id)
        node.position = None if position is None else (float(position[0]), float(position[1]))
        self.changed.emit(Change("node_moved", node_id))

    def set_param(self, node_id: str, key: str, value: Any) -> None:
        """Set a parameter; ``value is MISSING`` removes it (back to the layer's default)."""
        node = self.node(node_id)
        if value is MISSING:
            node.params.pop(key, None)
        else:
            node.params[key] = value
        self.changed.emit(Change("param_changed", node_id, {"key": key}))

    def rename_node(self, old: str, new: str) -> None:
        node = self.node(old)
        if new == old:
            return
        problem = node_id_problem(new)
        if problem:
            raise GraphError(problem)
        if new in self.nodes:
            raise GraphError(f"a node called {new!r} already exists")
        node.id = new
        self.nodes = {(new if k == old else k): v for k, v in self.nodes.items()}
        self.edges = [e.renamed(old, new) for e in self.edges]
        self.changed.emit(Change("node_renamed", new, {"old": old}))

    def add_edge(self, edge: Edge, index: int | None = None) -> Edge:
        for end in (edge.src, edge.dst):
            self.node(end)
        if edge.src == edge.dst:
            raise GraphError(f"node {edge.src!r} cannot be wired to itself")
        if edge in self.edges:
            raise GraphError(f"{format_edge(edge)} already exists")
        if index is None:
            self.edges.append(edge)
        else:
            self.edges.insert(index, edge)
        self.changed.emit(Change("edge_added", edge.dst, {"edge": edge}))
        return edge

    def remove_edge(self, edge: Edge) -> int:
        try:
            index = self.edges.index(edge)
        except ValueError:
            raise GraphError(f"there is no wire {format_edge(edge)}") from None
        del self.edges[index]
        self.changed.emit(Change("edge_removed", edge.dst, {"edge": edge}))
        return index

    def set_name(self, name: str) -> None:
        self.name = name
        self.changed.emit(Change("graph_changed", data={"key": "name"}))

    def set_section(self, key: str, value: Any) -> None:
        """Set (or with ``value is MISSING`` remove) a section owned by another package,
        e.g. the "training" settings."""
        if value is MISSING:
            self.extra.pop(key, None)
        else:
            self.extra[key] = copy.deepcopy(value)
        self.changed.emit(Change("graph_changed", data={"key": key}))

    def replace_with(self, other: "Graph") -> None:
        """Take over another document's content (e.g. after loading a file) in one change."""
        self.name, self.description = other.name, other.description
        self.nodes = {k: n.copy() for k, n in other.nodes.items()}
        self.edges = list(other.edges)
        self.extra = copy.deepcopy(other.extra)
        self.changed.emit(Change("graph_changed", data={"key": "all"}))


class _Missing:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __deepcopy__(self, memo):
        return self


MISSING: Any = _Missing()


def format_port(node_id: str, port: str, default: str) -> str:
    return node_id if port == default else f"{node_id}:{port}"


def format_edge(edge: Edge) -> str:
    return f"{format_port(edge.src, edge.src_port, DEFAULT_OUT)} → {format_port(edge.dst, edge.dst_port, DEFAULT_IN)}"


def topological_order(graph: Graph) -> tuple[list[str], set[str]]:
    """Node ids in an order where every edge points forward, plus the ids caught in cycles.

    Ties keep document order, so the order is stable and reads like the file.
    """
    indeg = {k: 0 for k in graph.nodes}
    succ: dict[str, list[str]] = {k: [] for k in graph.nodes}
    for e in graph.edges:
        if e.src in indeg and e.dst in indeg:
            indeg[e.dst] += 1
            succ[e.src].append(e.dst)
    position = {k: i for i, k in enumerate(graph.nodes)}
    ready = [(position[k], k) for k, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, k = heapq.heappop(ready)
        order.append(k)
        for s in succ[k]:
            indeg[s] -= 1
            if indeg[s] == 0:
                heapq.heappush(ready, (position[s], s))
    stuck = set(graph.nodes) - set(order)
    return order, stuck


def nodes_in_cycles(graph: Graph, stuck: Iterable[str]) -> set[str]:
    """Of the nodes a topological sort could not place, those that really lie on a cycle
    (the rest are merely downstream of one)."""
    stuck = set(stuck)
    succ: dict[str, list[str]] = {k: [] for k in stuck}
    for e in graph.edges:
        if e.src in stuck and e.dst in stuck:
            succ[e.src].append(e.dst)
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: set[str] = set()
    counter = 0
    for root in stuck:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    result.update(comp)
    return result
