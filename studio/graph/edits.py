"""Undoable edits of a graph document: plain objects with ``apply(doc)`` and ``revert(doc)``.

One user action is one edit (or a ``Macro`` of several). The UI wraps each in a
``QUndoCommand``; scripts and tests use them directly. No Qt, no torch.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .model import MISSING, Edge, Graph, GraphError, Node


class Edit:
    """Base class; subclasses record whatever they need to revert exactly."""

    label = "edit"

    def apply(self, doc: Graph) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def revert(self, doc: Graph) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def merge(self, other: "Edit") -> bool:
        """Absorb a following edit into this one (typing "128" is one step). False if not."""
        return False


@dataclass
class AddNode(Edit):
    node: Node
    index: int | None = None
    label = "add node"

    def apply(self, doc: Graph) -> None:
        doc.add_node(self.node, self.index)

    def revert(self, doc: Graph) -> None:
        doc.remove_node(self.node.id)


@dataclass
class RemoveNode(Edit):
    """Removes a node with its wires; undo puts back the same node object and wires."""

    node_id: str
    _node: Node | None = field(default=None, repr=False)
    _index: int = field(default=0, repr=False)
    _edges: list[tuple[int, Edge]] = field(default_factory=list, repr=False)
    label = "delete node"

    def apply(self, doc: Graph) -> None:
        node = doc.node(self.node_id)
        self._index = doc.index_of(self.node_id)
        self._edges = [(i, e) for i, e in enumerate(doc.edges) if node.id in (e.src, e.dst)]
        for _, e in reversed(self._edges):
            doc.remove_edge(e)
        self._node = doc.remove_node(self.node_id)

    def revert(self, doc: Graph) -> None:
        assert self._node is not None
        doc.add_node(self._node, self._index)
        for i, e in self._edges:
            doc.add_edge(e, i)


@dataclass
class MoveNode(Edit):
    node_id: str
    position: tuple[float, float] | None
    old: tuple[float, float] | None | Any = field(default=MISSING, repr=False)
    label = "move node"

    def apply(self, doc: Graph) -> None:
        if self.old is MISSING:
            self.old = doc.node(self.node_id).position
        doc.move_node(self.node_id, self.position)

    def revert(self, doc: Graph) -> None:
        doc.move_node(self.node_id, self.old)


@dataclass
class Connect(Edit):
    edge: Edge
    label = "connect"

    def apply(self, doc: Graph) -> None:
        doc.add_edge(self.edge)

    def revert(self, doc: Graph) -> None:
        doc.remove_edge(self.edge)


@dataclass
class Disconnect(Edit):
    edge: Edge
    _index: int = field(default=0, repr=False)
    label = "disconnect"

    def apply(self, doc: Graph) -> None:
        self._index = doc.remove_edge(self.edge)

    def revert(self, doc: Graph) -> None:
        doc.add_edge(self.edge, self._index)


@dataclass
class SetParam(Edit):
    """Set one parameter; ``value=MISSING`` resets it to the layer's default."""

    node_id: str
    key: str
    value: Any
    old: Any = field(default=None, repr=False)
    _recorded: bool = field(default=False, repr=False)
    label = "change parameter"

    def apply(self, doc: Graph) -> None:
        if not self._recorded:
            self.old = copy.deepcopy(doc.node(self.node_id).params.get(self.key, MISSING))
            self._recorded = True
        doc.set_param(self.node_id, self.key, copy.deepcopy(self.value))

    def revert(self, doc: Graph) -> None:
        doc.set_param(self.node_id, self.key, copy.deepcopy(self.old))

    def merge(self, other: Edit) -> bool:
        if isinstance(other, SetParam) and (other.node_id, other.key) == (self.node_id, self.key):
            self.value = other.value
            return True
        return False


@dataclass
class RenameNode(Edit):
    old: str
    new: str
    label = "rename node"

    def apply(self, doc: Graph) -> None:
        doc.rename_node(self.old, self.new)

    def revert(self, doc: Graph) -> None:
        doc.rename_node(self.new, self.old)


@dataclass
class SetGraphName(Edit):
    name: str
    old: str | None = field(default=None, repr=False)
    label = "rename graph"

    def apply(self, doc: Graph) -> None:
        if self.old is None:
            self.old = doc.name
        doc.set_name(self.name)

    def revert(self, doc: Graph) -> None:
        doc.set_name(self.old or "")


@dataclass
class SetSection(Edit):
    """Replace a whole section of the file, e.g. the training settings."""

    key: str
    value: Any
    old: Any = field(default=MISSING, repr=False)
    _recorded: bool = field(default=False, repr=False)
    setting: str = ""  # the one setting this edit changes, if one: edits of the same setting merge
    label = "training settings"

    def apply(self, doc: Graph) -> None:
        if not self._recorded:
            self.old = copy.deepcopy(doc.extra.get(self.key, MISSING))
            self._recorded = True
        doc.set_section(self.key, self.value)

    def revert(self, doc: Graph) -> None:
        doc.set_section(self.key, self.old)

    def merge(self, other: Edit) -> bool:
        """Typing into one setting (epochs 1, 10, 100) is one step; a change of another setting,
        or of the whole section, is a step of its own."""
        if isinstance(other, SetSection) and other.key == self.key and self.setting and other.setting == self.setting:
            self.value = other.value
            return True
        return False


@dataclass
class Macro(Edit):
    """Several edits as one undo step (paste, auto-layout, delete selection).

    If one part fails, the parts already applied are reverted, so the document is unchanged.
    """

    edits: list[Edit]
    label: str = "edit"  # type: ignore[assignment]

    def apply(self, doc: Graph) -> None:
        done: list[Edit] = []
        try:
            for e in self.edits:
                e.apply(doc)
                done.append(e)
        except GraphError:
            for e in reversed(done):
                e.revert(doc)
            raise

    def revert(self, doc: Graph) -> None:
        for e in reversed(self.edits):
            e.revert(doc)


class History:
    """A plain undo/redo stack for headless use (the window uses QUndoStack instead)."""

    def __init__(self, doc: Graph) -> None:
        self.doc = doc
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []

    def push(self, edit: Edit, *, merge: bool = False) -> None:
        edit.apply(self.doc)
        if merge and self._undo and self._undo[-1].merge(edit):
            pass
        else:
            self._undo.append(edit)
        self._redo.clear()

    def undo(self) -> bool:
        if not self._undo:
            return False
        edit = self._undo.pop()
        edit.revert(self.doc)
        self._redo.append(edit)
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        edit = self._redo.pop()
        edit.apply(self.doc)
        self._undo.append(edit)
        return True
