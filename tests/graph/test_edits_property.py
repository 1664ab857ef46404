"""Undoable edits, as a property: any sequence of edits pushed through ``History`` can be
undone back to the original document and redone to the final one, every step of the way.

A hypothesis state machine pushes random ``AddNode``, ``RemoveNode``, ``MoveNode``,
``Connect``, ``Disconnect``, ``SetParam`` (with ``MISSING`` and merging), ``RenameNode`` and
``Macro`` edits — valid ones and ones the document refuses — interleaved with undo and redo.
It keeps a snapshot of the document for every step on the undo stack, and a "view" that
follows the document only through its change events, as the canvas does; after every step the
document must equal the snapshot and the view must equal the document.
"""

from __future__ import annotations

import copy
import gc
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studio.graph import (
    MISSING, AddNode, Change, Connect, Disconnect, Edge, Emitter, Graph, GraphError, History, Macro, MoveNode, Node,
    RemoveNode, RenameNode, SetParam,
)
from studio.graph.edits import SetGraphName

# -- a view that knows the document only through its events ---------------------------------------


def _node_state(node: Node):
    return node.type, copy.deepcopy(node.params), node.position


class View:
    """What a canvas would hold, kept up to date from change events alone."""

    def __init__(self, doc: Graph) -> None:
        self.doc = doc
        self.log: list[Change] = []
        self.resync()
        doc.changed.subscribe(self.on_change)

    def resync(self) -> None:
        self.nodes = {k: _node_state(n) for k, n in self.doc.nodes.items()}
        self.edges = Counter(self.doc.edges)
        self.name = self.doc.name

    def on_change(self, change: Change) -> None:
        self.log.append(change)
        doc, k = self.doc, change.kind
        node_id = change.node_id
        if k == "node_added":
            assert node_id in doc.nodes and node_id not in self.nodes, change
            self.nodes[node_id] = _node_state(doc.nodes[node_id])
        elif k == "node_removed":
            assert node_id not in doc.nodes and node_id in self.nodes, change
            assert change.data["node"].id == node_id
            assert not any(node_id in (e.src, e.dst) for e in self.edges), "node removed before its wires"
            del self.nodes[node_id]
        elif k == "node_moved":
            t, p, _ = self.nodes[node_id]
            self.nodes[node_id] = (t, p, doc.nodes[node_id].position)
        elif k == "param_changed":
            key = change.data["key"]
            params = self.nodes[node_id][1]
            if key in doc.nodes[node_id].params:
                params[key] = copy.deepcopy(doc.nodes[node_id].params[key])
            else:
                params.pop(key, None)
        elif k == "node_renamed":
            old = change.data["old"]
            assert node_id in doc.nodes and old not in doc.nodes, change
            self.nodes[node_id] = self.nodes.pop(old)
            self.edges = Counter({e.renamed(old, node_id): n for e, n in self.edges.items()})
        elif k == "edge_added":
            edge = change.data["edge"]
            assert edge in doc.edges and change.node_id == edge.dst, change
            assert edge.src in self.nodes and edge.dst in self.nodes, "wire announced before its nodes"
            self.edges[edge] += 1
        elif k == "edge_removed":
            edge = change.data["edge"]
            assert edge not in doc.edges and self.edges[edge] == 1, change
            del self.edges[edge]
        elif k == "graph_changed":
            self.resync()
        else:  # pragma: no cover
            raise AssertionError(f"unknown change kind {k!r}")

    def matches(self) -> bool:
        return (self.nodes == {k: _node_state(n) for k, n in self.doc.nodes.items()}
                and self.edges == Counter(self.doc.edges))


def _same_exactly(doc: Graph, snap: Graph) -> bool:
    """``same_as`` plus the order of the wires (undo puts them back where they were)."""
    return doc.same_as(snap) and doc.edges == snap.edges


# -- the state machine ---------------------------------------------------------------------------

IDS = ["x", "h", "a", "o", "y", "dense1", "conv2", "lstm", "merge"]
BAD_IDS = ["forward", "torch", "class", "1a", "", "a-b", "dénse", "a" * 65]
TYPES = ["Linear", "ReLU", "Input", "Output", "Add", "LSTM", "Conv2d"]
KEYS = ["out_features", "bias", "shape", "p"]
VALUES = st.one_of(st.integers(-5, 300), st.booleans(), st.none(), st.just(MISSING),
                   st.lists(st.integers(1, 9), max_size=3), st.text(max_size=4),
                   st.just([[1, 2], {"nested": [3]}]))
POSITIONS = st.none() | st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4))
SRC_PORTS = ["out", "out", "hidden"]
DST_PORTS = ["in", "in", "0", "1"]


def _start() -> Graph:
    g = Graph("xor", "a starting document")
    g.add_node(Node("x", "Input", {"shape": [2]}, (0.0, 0.0)))
    g.add_node(Node("h", "Linear", {"out_features": 4}, (220.0, 0.0)))
    g.add_node(Node("a", "ReLU"))
    g.add_node(Node("o", "Linear", {"out_features": 1, "bias": False}))
    g.add_node(Node("y", "Output", {}, (880.0, 10.5)))
    for s, d in (("x", "h"), ("h", "a"), ("a", "o"), ("o", "y"), ("x", "o")):
        g.add_edge(Edge(s, d, "out", "in" if (s, d) != ("x", "o") else "skip"))
    return g


class EditMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.doc = _start()
        self.view = View(self.doc)
        self.history = History(self.doc)
        self.original = self.doc.copy()
        self.stack: list = []  # the edits on the undo stack, as we expect them
        self.snapshots = [self.doc.copy()]  # the document after each of them (0: the original)
        self.redo_snapshots: list[Graph] = []
        self.redo_stack: list = []
        self.fresh = 0
        self.removed: list[tuple[RemoveNode, Node, list[Edge]]] = []  # pushed removals: node object, edges before

    # -- drawing edits against the current document ------------------------------------------------
    def _an_id(self, data, existing=0.8):
        nodes = list(self.doc.nodes)
        if nodes and data.draw(st.floats(0, 1)) < existing:
            return data.draw(st.sampled_from(nodes))
        return data.draw(st.sampled_from(IDS + BAD_IDS))

    def _an_edge(self, data, existing):
        if existing and self.doc.edges and data.draw(st.floats(0, 1)) < 0.8:
            return data.draw(st.sampled_from(self.doc.edges))
        return Edge(self._an_id(data, 0.95), self._an_id(data, 0.95), data.draw(st.sampled_from(SRC_PORTS)),
                    data.draw(st.sampled_from(DST_PORTS)))

    def _fresh_id(self, data):
        if data.draw(st.floats(0, 1)) < 0.7:
            self.fresh += 1
            return f"n{self.fresh}"
        return data.draw(st.sampled_from(IDS + BAD_IDS))

    def _an_edit(self, data, depth=0):
        kind = data.draw(st.sampled_from(["add", "remove", "move", "connect", "disconnect", "set", "rename"]
                                         + (["macro"] if depth == 0 else [])))
        if kind == "add":
            node = Node(self._fresh_id(data), data.draw(st.sampled_from(TYPES)),
                        data.draw(st.dictionaries(st.sampled_from(KEYS), VALUES.filter(lambda v: v is not MISSING),
                                                  max_size=2)),
                        data.draw(POSITIONS))
            return AddNode(node, data.draw(st.none() | st.integers(-1, len(self.doc) + 1)))
        if kind == "remove":
            return RemoveNode(self._an_id(data))
        if kind == "move":
            return MoveNode(self._an_id(data), data.draw(POSITIONS))
        if kind == "connect":
            return Connect(self._an_edge(data, existing=False))
        if kind == "disconnect":
            return Disconnect(self._an_edge(data, existing=True))
        if kind == "set":
            return SetParam(self._an_id(data), data.draw(st.sampled_from(KEYS)), data.draw(VALUES))
        if kind == "rename":
            return RenameNode(self._an_id(data, 0.9), self._fresh_id(data))
        return Macro([self._an_edit(data, depth + 1) for _ in range(data.draw(st.integers(1, 3)))], "paste")

    # -- pushing, with the model kept alongside ------------------------------------------------------
    def _push(self, edit, merge=False):
        before = self.doc.copy()
        log_len = len(self.view.log)
        would_merge = (merge and self.stack and isinstance(edit, SetParam) and isinstance(self.stack[-1], SetParam)
                       and (self.stack[-1].node_id, self.stack[-1].key) == (edit.node_id, edit.key))
        removed = None
        if isinstance(edit, RemoveNode) and edit.node_id in self.doc.nodes:
            removed = (self.doc.nodes[edit.node_id], list(self.doc.edges))
        try:
            self.history.push(edit, merge=merge)
        except GraphError:
            # Refused: the document is as it was, and so is the history.
            assert _same_exactly(self.doc, before), f"a refused {edit!r} changed the document"
            if not isinstance(edit, Macro):
                assert len(self.view.log) == log_len, f"a refused {edit!r} emitted {self.view.log[log_len:]}"
            return False
        if removed is not None:
            self.removed.append((edit, *removed))
        if would_merge:
            self.snapshots[-1] = self.doc.copy()
        else:
            self.stack.append(edit)
            self.snapshots.append(self.doc.copy())
        self.redo_stack.clear()
        self.redo_snapshots.clear()
        if not _same_exactly(self.doc, before):
            assert len(self.view.log) > log_len, f"{edit!r} changed the document without an event"
        return True

    @rule(data=st.data())
    def push_an_edit(self, data):
        self._push(self._an_edit(data))

    @rule(data=st.data(), merge=st.booleans())
    def set_param(self, data, merge):
        # Runs of SetParam on the same key, as typing "128" makes.
        self._push(SetParam(self._an_id(data, 0.95), data.draw(st.sampled_from(KEYS[:2])), data.draw(VALUES)), merge=merge)

    @rule(data=st.data())
    def remove_a_wired_node(self, data):
        wired = sorted({e.src for e in self.doc.edges} | {e.dst for e in self.doc.edges})
        if wired:
            self._push(RemoveNode(data.draw(st.sampled_from(wired))))

    @rule(data=st.data())
    def macro_that_fails_at_the_end(self, data):
        parts = [self._an_edit(data, 1) for _ in range(data.draw(st.integers(1, 4)))]
        parts.append(Disconnect(Edge("nowhere", "nothing")))  # never there: the document has no such nodes
        before = self.doc.copy()
        assert not self._push(Macro(parts, "doomed"))
        assert _same_exactly(self.doc, before)

    @rule()
    def undo(self):
        edit = self.stack[-1] if self.stack else None
        assert self.history.undo() == (edit is not None)
        if edit is None:
            return
        self.stack.pop()
        self.redo_stack.append(edit)
        self.redo_snapshots.append(self.snapshots.pop())
        for pushed, node, edges in self.removed:
            if pushed is edit:  # the very same node object, and its wires where they were
                assert self.doc.nodes[node.id] is node
                assert self.doc.edges == edges

    @rule()
    def redo(self):
        edit = self.redo_stack[-1] if self.redo_stack else None
        assert self.history.redo() == (edit is not None)
        if edit is None:
            return
        self.redo_stack.pop()
        self.stack.append(edit)
        self.snapshots.append(self.redo_snapshots.pop())

    @invariant()
    def document_matches_the_model(self):
        assert _same_exactly(self.doc, self.snapshots[-1])

    @invariant()
    def view_follows_the_events(self):
        assert self.view.matches(), (self.view.nodes, dict(self.view.edges), self.doc.nodes, self.doc.edges)

    def teardown(self):
        if not hasattr(self, "doc"):
            return
        # The last document of the history: the current one, or the oldest on the redo stack.
        final = self.redo_snapshots[0] if self.redo_snapshots else self.doc.copy()
        while self.history.undo():
            pass
        assert _same_exactly(self.doc, self.original), "undoing everything did not restore the original"
        assert self.view.matches()
        while self.history.redo():
            pass
        assert _same_exactly(self.doc, final), "redoing everything did not restore the final document"
        assert self.view.matches()


EditMachine.TestCase.settings = settings(max_examples=120, stateful_step_count=30, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_edit_sequences_undo_and_redo = EditMachine.TestCase


# -- the events of each primitive edit -------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def __call__(self, change: Change) -> None:
        self.changes.append(change)

    def on_change(self, change: Change) -> None:
        self.changes.append(change)

    def kinds(self):
        out = [(c.kind, c.node_id) for c in self.changes]
        self.changes.clear()
        return out


@pytest.fixture
def doc_and_events():
    doc = _start()
    rec = Recorder()
    doc.changed.subscribe(rec.on_change)
    yield doc, rec
    del rec


def test_each_primitive_emits_its_change(doc_and_events):
    doc, rec = doc_and_events
    history = History(doc)
    history.push(AddNode(Node("b", "ReLU")))
    assert rec.kinds() == [("node_added", "b")]
    history.push(MoveNode("b", (1, 2)))
    assert rec.kinds() == [("node_moved", "b")]
    history.push(Connect(Edge("a", "b")))
    assert rec.kinds() == [("edge_added", "b")]
    history.push(SetParam("b", "inplace", True))
    assert rec.changes[0].data == {"key": "inplace"}
    assert rec.kinds() == [("param_changed", "b")]
    history.push(SetParam("b", "inplace", MISSING))
    assert rec.kinds() == [("param_changed", "b")] and "inplace" not in doc.nodes["b"].params
    history.push(RenameNode("b", "relu2"))
    assert rec.changes[0].data == {"old": "b"}
    assert rec.kinds() == [("node_renamed", "relu2")]
    history.push(Disconnect(Edge("a", "relu2")))
    assert rec.kinds() == [("edge_removed", "relu2")]
    history.push(SetGraphName("renamed"))
    assert rec.kinds() == [("graph_changed", None)]
    # Removing a wired node: its wires go first (last first), then the node.
    history.push(RemoveNode("h"))
    assert rec.kinds() == [("edge_removed", "a"), ("edge_removed", "h"), ("node_removed", "h")]
    # Undo emits the inverse changes, in the inverse order.
    history.undo()
    assert rec.kinds() == [("node_added", "h"), ("edge_added", "h"), ("edge_added", "a")]
    history.undo()
    assert rec.kinds() == [("graph_changed", None)]
    history.undo()
    assert rec.kinds() == [("edge_added", "relu2")]
    # A macro emits the changes of its parts.
    history.push(Macro([AddNode(Node("c", "Tanh")), Connect(Edge("relu2", "c")), MoveNode("c", None)]))
    assert rec.kinds() == [("node_added", "c"), ("edge_added", "c"), ("node_moved", "c")]


def test_refused_edits_emit_nothing(doc_and_events):
    doc, rec = doc_and_events
    history = History(doc)
    refused = [AddNode(Node("h", "ReLU")), AddNode(Node("forward", "ReLU")), RemoveNode("ghost"), MoveNode("ghost", None),
               Connect(Edge("x", "h")), Connect(Edge("h", "h")), Connect(Edge("x", "ghost")),
               Disconnect(Edge("h", "x")), SetParam("ghost", "p", 1), RenameNode("h", "a"), RenameNode("h", "class"),
               RenameNode("ghost", "g")]
    before = doc.copy()
    for edit in refused:
        with pytest.raises(GraphError):
            history.push(edit)
    assert rec.kinds() == []
    assert _same_exactly(doc, before)
    assert not history.undo()


def test_remove_node_undo_restores_the_same_object_and_wire_positions():
    doc = _start()
    doc.add_edge(Edge("h", "y", "out", "extra"), 1)  # a wire into y that sits between others
    node, edges = doc.nodes["h"], list(doc.edges)
    order = list(doc.nodes)
    history = History(doc)
    history.push(RemoveNode("h"))
    assert "h" not in doc.nodes and all("h" not in (e.src, e.dst) for e in doc.edges)
    history.undo()
    assert doc.nodes["h"] is node
    assert doc.edges == edges
    assert list(doc.nodes) == order
    history.redo()
    history.undo()
    assert doc.nodes["h"] is node and doc.edges == edges


def test_set_param_merges_consecutive_edits_of_the_same_key():
    doc = _start()
    history = History(doc)
    for text in ("1", "12", "128"):
        history.push(SetParam("h", "out_features", int(text)), merge=True)
    assert doc.nodes["h"].params["out_features"] == 128
    assert history.undo()
    assert doc.nodes["h"].params["out_features"] == 4
    assert not history.undo(), "typing 128 should be one undo step"
    assert history.redo() and doc.nodes["h"].params["out_features"] == 128
    assert not history.redo()


def test_set_param_merges_into_a_reset_and_back():
    doc = _start()
    history = History(doc)
    history.push(SetParam("o", "bias", MISSING), merge=True)
    history.push(SetParam("o", "bias", True), merge=True)
    history.push(SetParam("o", "bias", MISSING), merge=True)
    assert "bias" not in doc.nodes["o"].params
    history.undo()
    assert doc.nodes["o"].params["bias"] is False
    assert not history.undo()


@pytest.mark.parametrize("second", [
    SetParam("h", "bias", False),  # another key
    SetParam("o", "out_features", 7),  # another node
])
def test_set_param_does_not_merge_other_keys_or_nodes(second):
    doc = _start()
    history = History(doc)
    history.push(SetParam("h", "out_features", 8), merge=True)
    history.push(second, merge=True)
    assert history.undo() and history.undo() and not history.undo()
    assert doc.same_as(_start())


def test_set_param_does_not_merge_without_asking_or_across_other_edits():
    doc = _start()
    history = History(doc)
    history.push(SetParam("h", "out_features", 8))
    history.push(SetParam("h", "out_features", 9))  # merge not asked for
    history.push(MoveNode("h", (5, 5)))
    history.push(SetParam("h", "out_features", 10), merge=True)  # the top is a move
    steps = 0
    while history.undo():
        steps += 1
    assert steps == 4 and doc.same_as(_start())


def test_set_param_values_are_copied():
    doc = _start()
    history = History(doc)
    edit = SetParam("x", "shape", [3, 4])
    history.push(edit)
    doc.nodes["x"].params["shape"].append(6)  # the document's value is its own, not the edit's
    history.undo()
    history.redo()
    assert doc.nodes["x"].params["shape"] == [3, 4]


def test_macro_whose_later_part_fails_leaves_the_document_unchanged():
    doc = _start()
    rec = Recorder()
    doc.changed.subscribe(rec)
    view = View(doc)
    history = History(doc)
    history.push(MoveNode("x", (1, 1)))
    before = doc.copy()
    macro = Macro([
        AddNode(Node("b", "ReLU"), 0),
        Connect(Edge("a", "b")),
        SetParam("h", "out_features", 99),
        RenameNode("h", "hidden"),
        MoveNode("o", (3, 3)),
        RemoveNode("a"),
        Disconnect(Edge("x", "hidden")),
        Connect(Edge("y", "y")),  # refused: a self loop
    ], "paste")
    with pytest.raises(GraphError):
        history.push(macro)
    assert _same_exactly(doc, before)
    assert view.matches()
    assert rec.changes, "the parts applied and reverted announced themselves"
    # The history is untouched: one undo takes back the move, and nothing is left to redo.
    assert not history.redo()
    assert history.undo() and doc.same_as(_start()) and not history.undo()


def test_macro_undo_and_redo_are_one_step():
    doc = _start()
    history = History(doc)
    history.push(Macro([RemoveNode("a"), AddNode(Node("a2", "Tanh")), Connect(Edge("h", "a2")),
                        Connect(Edge("a2", "o"))], "replace"))
    after = doc.copy()
    assert history.undo() and _same_exactly(doc, _start())
    assert history.redo() and _same_exactly(doc, after)


# -- the emitter -----------------------------------------------------------------------------------


class Subscriber:
    def __init__(self) -> None:
        self.seen: list[Change] = []

    def on_change(self, change: Change) -> None:
        self.seen.append(change)


def test_emitter_holds_bound_methods_weakly():
    emitter = Emitter()
    sub = Subscriber()
    emitter.subscribe(sub.on_change)
    assert len(emitter) == 1
    emitter.emit(Change("node_added", "a"))
    assert [c.node_id for c in sub.seen] == ["a"]
    seen = sub.seen
    del sub
    gc.collect()
    assert len(emitter) == 0
    emitter.emit(Change("node_added", "b"))
    assert [c.node_id for c in seen] == ["a"], "a dead subscriber was called"
    assert len(emitter) == 0


def test_a_closed_view_does_not_leak_through_the_document():
    doc = _start()
    view = View(doc)
    History(doc).push(AddNode(Node("b", "ReLU")))
    assert view.log
    del view
    gc.collect()
    assert len(doc.changed) == 0
    History(doc).push(AddNode(Node("c", "ReLU")))  # nothing left to call


def test_emitter_holds_plain_functions_strongly_and_unsubscribes():
    emitter = Emitter()
    calls = []

    def on_change(change):
        calls.append(change.kind)

    emitter.subscribe(on_change)
    emitter.subscribe(lambda change: calls.append("lambda"))
    sub = Subscriber()
    emitter.subscribe(sub.on_change)
    gc.collect()
    assert len(emitter) == 3
    emitter.emit(Change("node_moved", "a"))
    assert calls == ["node_moved", "lambda"] and len(sub.seen) == 1
    emitter.unsubscribe(on_change)
    emitter.unsubscribe(sub.on_change)
    assert len(emitter) == 1
    emitter.emit(Change("node_moved", "a"))
    assert calls == ["node_moved", "lambda", "lambda"] and len(sub.seen) == 1


def test_a_subscriber_may_unsubscribe_while_being_called():
    emitter = Emitter()
    calls = []

    class Once:
        def on_change(self, change):
            calls.append("once")
            emitter.unsubscribe(self.on_change)

    once = Once()
    emitter.subscribe(once.on_change)
    emitter.subscribe(lambda change: calls.append("other"))
    emitter.emit(Change("node_moved"))
    emitter.emit(Change("node_moved"))
    assert calls == ["once", "other", "other"]


def test_a_section_edit_undoes_and_merges():
    from studio.graph import Graph, History, SetSection

    g = Graph()
    g.extra["training"] = {"data": "xor"}
    h = History(g)
    h.push(SetSection("training", {"data": "digits"}, setting="data"))
    h.push(SetSection("training", {"data": "digits", "epochs": 5}, setting="epochs"), merge=True)
    h.push(SetSection("training", {"data": "digits", "epochs": 9}, setting="epochs"), merge=True)  # typing on
    assert g.extra["training"] == {"data": "digits", "epochs": 9}
    assert h.undo() and g.extra["training"] == {"data": "digits"}  # the epochs typed: one step
    assert h.undo() and g.extra["training"] == {"data": "xor"} and not h.undo()
    h.redo()
    h.redo()
    assert g.extra["training"]["epochs"] == 9
    h.push(SetSection("training", {"data": "moons"}), merge=True)  # the whole section (Start): its own step
    assert h.undo() and g.extra["training"]["epochs"] == 9
