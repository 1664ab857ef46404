"""The summary dock: the Keras-like table (node, type, output shape, parameters) and the list
of problems. Clicking a row selects and centres its node on the canvas."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ..compile.summary import summarize
from ..layers import fmt_batch
from . import i18n
from .document import Document
from .icons import icon


class SummaryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.totals = (0, 0)

    def set_rows(self, rows, totals) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.totals = totals
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return (self.tr("Node"), self.tr("Type"), self.tr("Output shape"), self.tr("Param #"))[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        r = self.rows[index.row()]
        c = index.column()
        if role == Qt.DisplayRole:
            if c == 0:
                return r.id
            if c == 1:
                return r.type
            if c == 2:
                return fmt_batch(r.output_shape) if r.output_shape is not None else "?"
            return i18n.number(r.params)
        if role == Qt.TextAlignmentRole and c == 3:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.DecorationRole and c == 0 and r.problem:
            return icon(r.problem)
        if role == Qt.ForegroundRole and r.problem == "error":
            return QBrush(QColor("#c03535"))
        if role == Qt.FontRole and c == 2:
            f = QFont("DejaVu Sans Mono")
            f.setPointSizeF(8.5)
            return f
        if role == Qt.UserRole:
            return r.id
        return None


class ProblemsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.problems: list = []

    def set_problems(self, problems) -> None:
        self.beginResetModel()
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return (self.tr("Where"), self.tr("Problem"))[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        p = self.problems[index.row()]
        if role == Qt.DisplayRole:
            return (p.node_id or self.tr("network")) if index.column() == 0 else i18n.problem_text(p)
        if role == Qt.ToolTipRole and index.column() == 1:
            return i18n.problem_text(p)
        if role == Qt.DecorationRole and index.column() == 0:
            return icon(p.severity)
        if role == Qt.UserRole:
            return p.node_id
        return None


class SummaryPanel(QWidget):
    node_clicked = Signal(str)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = SummaryModel(self)
        self.problems_model = ProblemsModel(self)
        self.table = self._view(self.model)
        self.problems = self._view(self.problems_model)
        self.problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.problems.setWordWrap(True)
        self.problems.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)  # a message and its fix, whole
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.totals = QLabel()
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.verdict)
        rv.addWidget(self.problems)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table)
        lv.addWidget(self.totals)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(split)
        self.table.clicked.connect(lambda i: self._clicked(self.model, i))
        self.problems.clicked.connect(lambda i: self._clicked(self.problems_model, i))
        doc.analyzed.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _view(model) -> QTableView:
        v = QTableView()
        v.setModel(model)
        v.setSelectionBehavior(QAbstractItemView.SelectRows)
        v.setSelectionMode(QAbstractItemView.SingleSelection)
        v.setEditTriggers(QAbstractItemView.NoEditTriggers)
        v.verticalHeader().hide()
        v.verticalHeader().setDefaultSectionSize(22)
        v.setAlternatingRowColors(True)
        v.setShowGrid(False)
        return v

    def refresh(self) -> None:
        s = summarize(self.doc.graph, self.doc.analysis)
        self.model.set_rows(s.rows, (s.total_params, s.trainable_params))
        self.problems_model.set_problems(self.doc.analysis.problems)
        self.totals.setText(self.tr("Total params: {t} · Trainable: {tr} · Non-trainable: {n}").format(
            t=i18n.number(s.total_params), tr=i18n.number(s.trainable_params), n=i18n.number(s.total_params - s.trainable_params)))
        a = self.doc.analysis
        errors, warnings = len(a.errors), len(a.warnings)
        if not errors and not warnings:
            text, colour = "✓ " + self.tr("No problems: every shape fits."), "#2f8a57"
        else:
            parts = [self.tr("%n error(s)", "", errors)] if errors else []
            parts += [self.tr("%n warning(s)", "", warnings)] if warnings else []
            text = ("✗ " if errors else "⚠ ") + " · ".join(parts) + " — " + self.tr("click one to go to its node")
            colour = "#c03535" if errors else "#9a5b00"
        self.verdict.setText(f"<span style='color:{colour}'>{text}</span>")

    def _clicked(self, model, index) -> None:
        node_id = model.data(model.index(index.row(), 0), Qt.UserRole)
        if node_id and node_id in self.doc.graph.nodes:
            self.node_clicked.emit(node_id)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.refresh()
        super().changeEvent(event)
