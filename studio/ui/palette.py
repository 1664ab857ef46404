"""The layer palette: collapsible categories, a search that also knows Keras names and
keywords ("dense" finds Linear), the teaching text as a tooltip. Drag a layer onto the canvas,
or double-click it (or press Enter) to add it after the selected node, already wired.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..layers import CATALOGUE, by_category, search
from . import i18n
from .canvas.view import LAYER_MIME
from .icons import icon

TYPE_ROLE = Qt.UserRole + 1


class LayerTree(QTreeWidget):
    activated_layer = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setRootIsDecorated(True)
        self.setAnimated(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._activated)

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            mime.setData(LAYER_MIME, types[0].encode("utf-8"))
            mime.setText(types[0])
        return mime

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.activated_layer.emit(type_name)

    def layer_item(self, type_name: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            cat = self.topLevelItem(i)
            for j in range(cat.childCount()):
                if cat.child(j).data(0, TYPE_ROLE) == type_name:
                    return cat.child(j)
        return None


class Palette(QWidget):
    layer_activated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.tree = LayerTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._add_first_match)
        self.tree.activated_layer.connect(self.layer_activated)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.tree.clear()
        for category, specs in by_category().items():
            if not specs:
                continue
            top = QTreeWidgetItem(self.tree)
            top.setData(0, Qt.UserRole, category)
            top.setIcon(0, icon(f"category-{category}"))
            top.setFlags(Qt.ItemIsEnabled)
            for spec in specs:
                child = QTreeWidgetItem(top)
                child.setText(0, spec.label)
                child.setData(0, TYPE_ROLE, spec.type)
                child.setIcon(0, icon(f"category-{category}"))
                child.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
            top.setExpanded(True)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setToolTip(self.tr("Type a layer name, a Keras name or a keyword: dense, pooling, LSTM, attention…"))
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            top.setText(0, i18n.category_name(top.data(0, Qt.UserRole)))
            for j in range(top.childCount()):
                child = top.child(j)
                spec = CATALOGUE[child.data(0, TYPE_ROLE)]
                t = i18n.teaching(spec)
                tip = f"<b>{html.escape(spec.label)}</b> <i>({html.escape(spec.type)})</i>"
                if t["summary"]:
                    tip += f"<p>{html.escape(t['summary'])}</p>"
                if t["when"]:
                    tip += f"<p>{html.escape(t['when'])}</p>"
                tip += "<p><i>" + html.escape(self.tr("Drag onto the canvas, or double-click to add after the selected node.")) + "</i></p>"
                child.setToolTip(0, f"<div style='max-width: 420px'>{tip}</div>")

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _filter(self, text: str) -> None:
        found = {s.type for s in search(text)}
        first = None
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                visible = child.data(0, TYPE_ROLE) in found
                child.setHidden(not visible)
                shown += visible
                if visible and first is None:
                    first = child
            top.setHidden(shown == 0)
            if text:
                top.setExpanded(True)
        if first is not None and text:
            self.tree.setCurrentItem(first)

    def visible_types(self) -> list[str]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.isHidden():
                continue
            out += [top.child(j).data(0, TYPE_ROLE) for j in range(top.childCount()) if not top.child(j).isHidden()]
        return out

    def _add_first_match(self) -> None:
        item = self.tree.currentItem()
        if item is not None and not item.isHidden() and item.data(0, TYPE_ROLE):
            self.layer_activated.emit(item.data(0, TYPE_ROLE))
