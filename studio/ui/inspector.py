"""The inspector: a form generated from the selected node's layer declaration, with inline
validation, the node's input and output shapes, its parameter count with the formula, the
shape arithmetic and the teaching text. With nothing selected it shows the graph itself.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QLabel, QLineEdit, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from ..graph import MISSING, GraphError, RenameNode, SetGraphName, SetParam, node_id_problem
from ..layers import CATALOGUE, fmt_batch
from . import i18n, limits
from .document import Document
from .editors import INCOMPLETE, Editor, editor_for

ERROR_STYLE = "color: #c03535;"
HELP_STYLE = "color: #6b7280; font-size: 8pt;"


def _section(text: str) -> QLabel:
    label = QLabel(f"<b>{html.escape(text)}</b>")
    label.setStyleSheet("margin-top: 8px; color: #374151;")
    return label


def _wrap(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
    if style:
        label.setStyleSheet(style)
    return label


class Inspector(QScrollArea):
    message = Signal(str)  # a note for the status bar

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.node_id: str | None = None
        self.count = 0
        self.editors: dict[str, Editor] = {}
        self.problems: dict[str, QLabel] = {}
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)  # a steady width for the wrapped text
        self.setFrameShape(QFrame.NoFrame)
        self.setMinimumWidth(300)
        doc.analyzed.connect(self.refresh)
        doc.params_changed.connect(self._params_changed)
        doc.node_renamed.connect(self._renamed)
        doc.node_removed.connect(self._removed)
        doc.reset.connect(lambda: self.show_nodes([]))
        doc.info_changed.connect(self._info_changed)
        self.show_nodes([])

    # -- what is shown -------------------------------------------------------------------------
    def show_nodes(self, ids: list[str]) -> None:
        focus = self.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()  # a half-typed value is applied to the node it was typed for
        self.node_id = ids[0] if len(ids) == 1 else None
        self.count = len(ids)
        self._build()

    def _build(self) -> None:
        self._form = object()
        page = QWidget()
        self.layout_ = QVBoxLayout(page)
        self.layout_.setContentsMargins(10, 8, 10, 10)
        self.editors, self.problems = {}, {}
        self.dynamic: dict[str, QLabel] = {}
        if self.node_id is not None and self.node_id in self.doc.graph.nodes:
            self._build_node()
        else:
            self._build_graph()
        self.layout_.addStretch(1)
        self.setWidget(page)
        self.refresh()
        self._fit_height_later()  # the graph's page too: a long description would lose its last lines

    def _fit_height(self) -> None:
        """Word-wrapped labels need the height their text takes at this width; the scroll area
        alone asks for too little and clips the last lines."""
        page, width = self.widget(), self.viewport().width()
        if page is None or page.layout() is None or width <= 0:
            return
        for label in page.findChildren(QLabel):
            if label.wordWrap() and label.width() > 0:
                label.setMinimumHeight(max(0, label.heightForWidth(label.width())))
        for label in self.problems.values():  # no gap between a field and the refusal under it
            if label.width() > 0:
                label.setMaximumHeight(max(label.minimumHeight(), label.heightForWidth(label.width())))
        page.setMinimumHeight(page.layout().heightForWidth(width))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _build_graph(self) -> None:
        g = self.doc.graph
        lay = self.layout_
        if self.count > 1:
            lay.addWidget(_wrap(self.tr("{n} nodes selected. Select a single node to edit its parameters.").format(n=self.count)))
        lay.addWidget(_section(self.tr("Network")))
        form = QFormLayout()
        self.name_edit = QLineEdit(g.name)
        self.name_edit.editingFinished.connect(self._rename_graph)
        form.addRow(self.tr("Name"), self.name_edit)
        lay.addLayout(form)
        if g.description:
            lay.addWidget(_wrap(html.escape(i18n.graph_description(g.description))))
        self.dynamic["totals"] = _wrap()
        lay.addWidget(self.dynamic["totals"])
        if self.count == 0:
            lay.addWidget(_wrap(self.tr("Select a node to see and edit its parameters, shapes and teaching notes. "
                                        "Drag layers from the palette onto the canvas; drag from a port to another "
                                        "port to wire them."), HELP_STYLE))

    def _build_node(self) -> None:
        node = self.doc.graph.node(self.node_id)
        spec = CATALOGUE.get(node.type)
        lay = self.layout_
        title = f"<span style='font-size: 12pt'><b>{html.escape(node.type)}</b></span>"
        if spec is not None:
            title += f" &nbsp;<span style='color:#6b7280'>{html.escape(spec.label)} · {html.escape(i18n.category_name(spec.category))}</span>"
        lay.addWidget(_wrap(title))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.id_edit = QLineEdit(node.id)
        self.id_edit.setToolTip(self.tr("The node's name: it becomes the submodule's attribute name in PyTorch."))
        self.id_edit.textEdited.connect(self._check_id)
        self.id_edit.editingFinished.connect(self._rename)
        form.addRow(self.tr("Name"), self.id_edit)
        self.id_problem = _wrap("", ERROR_STYLE)
        self.id_problem.hide()
        form.addRow("", self.id_problem)
        lay.addLayout(form)
        if spec is None:
            lay.addWidget(_wrap(self.tr("Unknown layer type: this node cannot be edited until its type is fixed."), ERROR_STYLE))
            return
        if spec.params:
            lay.addWidget(_section(self.tr("Parameters")))
            pform = QFormLayout()
            pform.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
            resolved = spec.resolve(node.params)
            for p in spec.params:
                ed = editor_for(p)
                ed.set_value(resolved[p.name])
                ed.setObjectName(f"param-{p.name}")
                help_text = i18n.param_help(spec, p.name)
                ed.setToolTip(help_text)
                ed.edited.connect(lambda value, name=p.name, form=self._form: self._edited(name, value, form))
                ed.typing.connect(lambda value, name=p.name: self._typing(name, value))
                name_label = QLabel(p.name)
                name_label.setToolTip(help_text)
                pform.addRow(name_label, ed)
                problem = _wrap("", ERROR_STYLE)  # right under the field: a refused value is explained where it was typed
                problem.setObjectName(f"problem-{p.name}")
                problem.hide()
                pform.addRow("", problem)
                note = _wrap(html.escape(help_text), HELP_STYLE)
                pform.addRow("", note)
                self.editors[p.name] = ed
                self.problems[p.name] = problem
            lay.addLayout(pform)
        lay.addWidget(_section(self.tr("Shapes")))
        self.dynamic["shapes"] = _wrap()
        lay.addWidget(self.dynamic["shapes"])
        self.dynamic["count"] = _wrap()
        lay.addWidget(self.dynamic["count"])
        self.dynamic["problems"] = _wrap()
        lay.addWidget(self.dynamic["problems"])
        t = i18n.teaching(spec)
        if any(t.values()):
            lay.addWidget(_section(self.tr("About this layer")))
            parts = [f"<p>{html.escape(t['summary'])}</p>" if t["summary"] else "",
                     "<p><i>" + html.escape(self.tr("When to use it")) + f":</i> {html.escape(t['when'])}</p>" if t["when"] else "",
                     f"<p style='font-family: monospace'>{html.escape(t['formula'])}</p>" if t["formula"] else ""]
            teach = _wrap("".join(parts))
            teach.setObjectName("teaching")
            lay.addWidget(teach)

    # -- updates -----------------------------------------------------------------------------
    def refresh(self) -> None:
        a = self.doc.analysis
        if "totals" in self.dynamic:
            errors, warnings = len(a.errors), len(a.warnings)
            self.dynamic["totals"].setText(
                self.tr("%n layer(s)", "", len(self.doc.graph)) + " · "
                + self.tr("{p} parameters ({t} trainable)").format(p=i18n.number(a.total_params),
                                                                   t=i18n.number(a.trainable_params)) + "<br>"
                + (self.tr("Valid: ready to train") if not errors else self.tr("%n error(s)", "", errors))
                + (" · " + self.tr("%n warning(s)", "", warnings) if warnings else ""))
        if self.node_id is None or "shapes" not in self.dynamic or self.node_id not in a.nodes:
            return
        info = a.nodes[self.node_id]
        rows = []
        word_in, word_out = html.escape(self.tr("Input")), html.escape(self.tr("Output"))

        def row(word: str, port: str, t, named: bool) -> str:
            where = f"{word} <code>{html.escape(port)}</code>" if named else word
            dtype = f" <small>({t.dtype})</small>" if t.dtype != "float32" else ""
            return f"{where}: <b>{html.escape(fmt_batch(t.shape))}</b>{dtype}"

        for port, t in sorted(info.inputs.items()):
            rows.append(row(word_in, port, t, len(info.inputs) > 1))
        for port, t in info.outputs.items():
            rows.append(row(word_out, port, t, len(info.outputs) > 1))
        if not rows:
            rows.append(html.escape(self.tr("Shapes appear once the node is wired and its inputs are valid.")))
        for line in info.arithmetic:
            rows.append(f"<code>{html.escape(line)}</code>")
        self.dynamic["shapes"].setText("<br>".join(rows))
        if info.count is not None and info.count.total:
            text = self.tr("Parameters: {n}").format(n=i18n.number(info.count.total))
            if info.count.formula:
                text += f"<br><code>{html.escape(info.count.formula)}</code>"
            if info.count.trainable != info.count.total:
                text += "<br>" + self.tr("{n} of them trainable").format(n=i18n.number(info.count.trainable))
        elif info.count is not None:
            text = self.tr("No learnable parameters.")
        else:
            text = ""
        self.dynamic["count"].setText(text)
        mine = a.problems_for(self.node_id)
        by_param = {p.param: p for p in mine if p.param}
        for name, label in self.problems.items():
            if label.property("local"):
                continue
            p = by_param.get(name)
            label.setVisible(p is not None)
            label.setText(html.escape(i18n.problem_text(p)) if p is not None else "")
        general = [p for p in mine if not p.param]
        self._fit_height_later()
        self.dynamic["problems"].setText("".join(
            f"<p style='color:{'#c03535' if p.severity == 'error' else '#a0670f'}'>"
            f"{'✗' if p.severity == 'error' else '⚠'} {html.escape(i18n.problem_text(p))}</p>" for p in general))

    def _fit_height_later(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._fit_height)

    def _params_changed(self, node_id: str, key: str) -> None:
        if node_id != self.node_id or key not in self.editors:
            return
        node = self.doc.graph.node(node_id)
        spec = CATALOGUE.get(node.type)
        value = spec.resolve(node.params)[key]
        self.editors[key].set_value(value)
        self._local_problem(key, None)

    def _renamed(self, old: str, new: str) -> None:
        if old == self.node_id:
            self.node_id = new
            if self.id_edit.text() != new:
                self.id_edit.setText(new)

    def _removed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self.show_nodes([])

    def _info_changed(self) -> None:
        if self.node_id is None and hasattr(self, "name_edit") and self.name_edit.text() != self.doc.graph.name:
            self.name_edit.setText(self.doc.graph.name)

    # -- edits -------------------------------------------------------------------------------
    def _local_problem(self, key: str, text: str | None, mark: bool = True) -> None:
        """Show (rich ``text``) or clear the refusal of a value typed into ``key``'s field; with
        ``mark`` the field is tinted too (it still holds the refused value)."""
        label = self.problems.get(key)
        if label is None:
            return
        label.setProperty("local", bool(text))
        label.setVisible(bool(text))
        label.setText(text or "")
        self.editors[key].set_refused(bool(text) and mark)
        if text:
            self._fit_height_later()
        else:
            self.refresh()

    def _refuse(self, key: str, value: Any, problem: str, typing: bool = False) -> None:
        """Say why ``value`` is refused, under its field. A field that could not keep the text
        (a spin box puts its last number back) says what it shows now."""
        p = CATALOGUE[self.doc.graph.node(self.node_id).type].param(key)
        text = limits.refusal(p, problem)
        shown = self.editors[key].value()
        kept = typing or (shown == value and type(shown) is type(value))
        if not kept:
            text += "<br>" + html.escape(self.tr("The field went back to {value}.").format(value=shown))
        self._local_problem(key, text, mark=kept or p.problem(shown) is not None)

    def _typing(self, key: str, value: Any) -> None:
        if value is INCOMPLETE:
            self._local_problem(key, None)
            return
        spec = CATALOGUE[self.doc.graph.node(self.node_id).type]
        problem = spec.param(key).problem(value)
        if problem:
            self._refuse(key, value, problem, typing=True)
        else:
            self._local_problem(key, None)

    def _edited(self, key: str, value: Any, form: object) -> None:
        if form is not self._form or self.node_id not in self.doc.graph.nodes:
            return  # a form that has been replaced
        node = self.doc.graph.node(self.node_id)
        spec = CATALOGUE[node.type]
        p = spec.param(key)
        problem = p.problem(value)
        if problem:
            self._refuse(key, value, problem)
            return
        self._local_problem(key, None)
        current = spec.resolve(node.params)[key]
        if current == value and type(current) is type(value):
            return
        stored = MISSING if value == p.default and type(value) is type(p.default) else value
        self.doc.push(SetParam(self.node_id, key, stored))

    def _check_id(self, text: str) -> None:
        problem = None if text == self.node_id else node_id_problem(text)
        if problem is None and text != self.node_id and text in self.doc.graph.nodes:
            problem = self.tr("another node is already called '{id}'").format(id=text)
        self.id_problem.setVisible(bool(problem))
        self.id_problem.setText(html.escape(i18n.text(problem) if problem else ""))

    def _rename(self) -> None:
        new = self.id_edit.text().strip()
        if self.node_id is None or new == self.node_id:
            return
        try:
            self.doc.push(RenameNode(self.node_id, new))
        except GraphError as exc:
            self.id_problem.setText(html.escape(i18n.text(str(exc))))
            self.id_problem.show()
            self.message.emit(i18n.text(str(exc)))

    def _rename_graph(self) -> None:
        name = self.name_edit.text().strip()
        if name and name != self.doc.graph.name:
            self.doc.push(SetGraphName(name))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self._build()
        super().changeEvent(event)
