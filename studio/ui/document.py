"""The open document as the window sees it: the graph, its undo stack, its file and the latest
analysis. This is the one place where the document's plain change events become Qt signals.

Every user edit arrives here as a plain ``studio.graph.edits`` object and goes on the
``QUndoStack`` wrapped in one ``EditCommand``; the scene, the inspector and the summary only
listen, so undo, redo, file load and code all render the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..compile import Analysis, analyze
from ..graph import Change, Edit, Graph, GraphError, MoveNode, SetParam, SetSection
from ..graph.edits import Macro

_LABELS = {  # edit label → undo-menu text, translated where it is shown
    "add node": QT_TRANSLATE_NOOP("Document", "Add node"),
    "delete node": QT_TRANSLATE_NOOP("Document", "Delete node"),
    "move node": QT_TRANSLATE_NOOP("Document", "Move"),
    "connect": QT_TRANSLATE_NOOP("Document", "Connect"),
    "disconnect": QT_TRANSLATE_NOOP("Document", "Disconnect"),
    "change parameter": QT_TRANSLATE_NOOP("Document", "Change parameter"),
    "rename node": QT_TRANSLATE_NOOP("Document", "Rename"),
    "rename graph": QT_TRANSLATE_NOOP("Document", "Rename graph"),
    "paste": QT_TRANSLATE_NOOP("Document", "Paste"),
    "duplicate": QT_TRANSLATE_NOOP("Document", "Duplicate"),
    "cut": QT_TRANSLATE_NOOP("Document", "Cut"),
    "delete": QT_TRANSLATE_NOOP("Document", "Delete"),
    "auto-arrange": QT_TRANSLATE_NOOP("Document", "Auto-arrange"),
    "training settings": QT_TRANSLATE_NOOP("Document", "Training settings"),
    "edit": QT_TRANSLATE_NOOP("Document", "Edit"),
}


def step_text(key: str) -> str:
    """The undo-menu text of an edit label, in the current language."""
    return QCoreApplication.translate("Document", _LABELS.get(key, _LABELS["edit"]))


class EditCommand(QUndoCommand):
    """Any edit as one undo step. The edit is applied before the command is pushed (so a
    refused edit never reaches the stack); ``redo`` skips that first call."""

    MERGE_ID = 1

    def __init__(self, doc: "Document", edit: Edit, label: str) -> None:
        super().__init__(step_text(label))
        self.doc = doc
        self.edit = edit
        self.label = label  # kept so the text can follow a change of language
        self._fresh = True

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.edit.apply(self.doc.graph)
        self.doc.refresh(self.edit)

    def undo(self) -> None:
        self.edit.revert(self.doc.graph)
        self.doc.refresh(self.edit)

    def id(self) -> int:
        return self.MERGE_ID if isinstance(self.edit, (SetParam, SetSection)) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, EditCommand) and self.edit.merge(other.edit)


def _positions_only(edit: Edit) -> bool:
    if isinstance(edit, MoveNode):
        return True
    return isinstance(edit, Macro) and all(_positions_only(e) for e in edit.edits)


class Document(QObject):
    node_added = Signal(str)
    node_removed = Signal(str)
    node_moved = Signal(str)
    node_renamed = Signal(str, str)  # old, new
    params_changed = Signal(str, str)  # node id, key
    edge_added = Signal(object)
    edge_removed = Signal(object)
    reset = Signal()  # the whole content was replaced
    info_changed = Signal()  # name or description
    analyzed = Signal()  # ``analysis`` is new
    path_changed = Signal()
    section_changed = Signal(str)  # a section such as "training" was set (an edit, its undo or redo)

    def __init__(self, graph: Graph | None = None, path: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph()
        self.path: Path | None = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.analysis: Analysis = analyze(self.graph)
        self.graph.changed.subscribe(self._on_change)

    # -- editing -----------------------------------------------------------------------------
    def push(self, edit: Edit, label: str | None = None) -> None:
        """Apply ``edit`` and put it on the undo stack; a refused edit (``GraphError``)
        raises and leaves the document as it was."""
        edit.apply(self.graph)
        self.undo_stack.push(EditCommand(self, edit, label or getattr(edit, "label", "edit")))
        self.refresh(edit)

    def try_push(self, edit: Edit, label: str | None = None) -> str | None:
        """Like ``push`` but returns the refusal's message instead of raising."""
        try:
            self.push(edit, label)
        except GraphError as exc:
            return str(exc)
        return None

    def retranslate(self) -> None:
        """Undo and redo texts in the language just chosen."""
        for i in range(self.undo_stack.count()):
            cmd = self.undo_stack.command(i)
            if isinstance(cmd, EditCommand):
                cmd.setText(step_text(cmd.label))

    def refresh(self, edit: Edit | None = None) -> None:
        """Re-run validation and shape inference (moves change no shapes, so they skip it)."""
        if edit is not None and _positions_only(edit):
            return
        self.analysis = analyze(self.graph)
        self.analyzed.emit()

    # -- files -------------------------------------------------------------------------------
    def replace(self, graph: Graph, path: str | Path | None, *, modified: bool = False) -> None:
        """Take over a loaded graph: one reset, a fresh undo history."""
        self.analysis = analyze(graph)  # the views rebuild on the reset and read it at once
        self.graph.replace_with(graph)
        self.undo_stack.clear()
        if not modified:
            self.undo_stack.setClean()
        else:  # e.g. a recovered document: unsaved until the user saves it
            self.undo_stack.resetClean()
        self.set_path(path)
        self.analyzed.emit()

    def set_path(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.path_changed.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- the graph's events as Qt signals -------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        k, node = change.kind, change.node_id
        if k == "node_added":
            self.node_added.emit(node)
        elif k == "node_removed":
            self.node_removed.emit(node)
        elif k == "node_moved":
            self.node_moved.emit(node)
        elif k == "node_renamed":
            self.node_renamed.emit(change.data["old"], node)
        elif k == "param_changed":
            self.params_changed.emit(node, change.data["key"])
        elif k == "edge_added":
            self.edge_added.emit(change.data["edge"])
        elif k == "edge_removed":
            self.edge_removed.emit(change.data["edge"])
        elif k == "graph_changed":
            key = change.data.get("key")
            if key == "all":
                self.reset.emit()
            elif key in ("name", "description"):
                self.info_changed.emit()
            else:
                self.section_changed.emit(str(key))
