"""The training panel: choose the data and the hyperparameters, start, pause, resume and stop a
run, watch it learn, then read its test metrics and confusion matrix.

The settings live in the document's "training" section (one undoable edit when a run starts),
so ``neurona train FILE`` on the saved file trains the same way. The run is the engine's
``train`` in a child process (``process.TrainingProcess``).
"""

from __future__ import annotations

import html
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QProcess, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout, QFrame,
    QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QMessageBox,
    QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
    QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from ...data.builtin import builtin_datasets
from ...graph import SetSection
from ...graph.model import MISSING
from ...layers import dump_graph
from ...train.config import LOSSES, MODES, OPTIMIZERS, SCHEDULES, ConfigError, TrainConfig
from ...train.events import BatchLosses, Done, EpochEnd, RunStarted, Warning as TrainWarning
from .. import i18n
from ..document import Document
from .folders import runs_folder
from .plots import LivePlots
from .preview import DataPreview
from .samples import SamplesView
from .process import TrainingProcess

LIVE_MS = 250  # how often the progress bar and status line follow a run
RELOAD_MS = 400  # the pause in typing a data spec after which it loads
SETTINGS_WIDTH = 360  # pixels: the settings column's first width (then the user's)
PLOTS_MIN_HEIGHT = 160
RESULT_ROW_HEIGHT = 22  # pixels: a row of the metrics and of the confusion matrix


class WrappedLabel(QLabel):
    """A word-wrapped label as tall as its text at its width (a dock's layout alone gives it too
    little and clips the last lines)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.isVisible() and self.width() > 0:  # a hidden label's width is not yet the real one
            height = self.heightForWidth(self.width()) if self.text() else 0
            if height != self.minimumHeight():
                self.setMinimumHeight(max(0, height))


SHOWN_EARLIER = 3  # earlier runs drawn when a document opens; the others are listed, unticked
RUN_ROLE = Qt.UserRole  # a listed run's (name, test metrics, folder)


def _builtin(spec: str):
    """The built-in data set a spec names (its name before any options), or None."""
    return next((i for i in builtin_datasets() if i.name == spec.split("?")[0].strip()), None)


def _suggested(spec: str) -> dict[str, Any]:
    """The training settings a built-in data set suggests."""
    info = _builtin(spec)
    return dict(info.suggested) if info is not None else {}


class RunsList(QListWidget):
    """The earlier runs under the curves: three in view to begin with (drag the bar above for
    more); the curves keep the rest of the room."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self.fontMetrics().height() * 4 + 8)


def _choose(box: QComboBox, value: str) -> None:
    """Select the entry whose value (not its shown, translated text) is ``value``."""
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def _fmt_seconds(s: float | None) -> str:
    if s is None or not math.isfinite(s):
        return "—"
    s = int(round(s))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class TrainingPanel(QWidget):
    training_started = Signal()
    training_finished = Signal(object)  # Done
    training_failed = Signal(str)
    export_requested = Signal(str)  # the run folder to export
    devices_listed = Signal(list)  # the devices `neurona devices` found
    export_available = Signal(bool)  # whether there is a finished run to export (this document's)

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.process = TrainingProcess(self)
        self.process.event_received.connect(self._event)
        self.process.run_finished.connect(self._finished)
        self.process.run_failed.connect(self._failed)
        self.process.state_changed.connect(self._state)
        self.last: Done | None = None
        self.started_event: RunStarted | None = None
        self._graph_file: Path | None = None
        self._run_name = ""
        self._bad_settings: set[str] = set()  # keys of the document's training section that are not valid
        self._settings_mistakes_shown = False
        self._loading = False  # the form is being filled from the document: its changes are not edits
        self._pushing = False  # the form is writing its settings into the document
        self._suggested: dict[str, Any] = {}  # the settings the form took from the data set's suggestions
        self._hidden: dict[str, Any] = {}  # suggested settings the form does not show (momentum): key → value
        self.message_text = ""  # what the message line says, as plain text
        # What the status line, the message and the fit note say, as functions that write it in the
        # window's language: a change of language writes them again.
        self._status_source = None
        self._message_source = None
        self._fit_source = None
        self._build()
        self.load_settings()
        doc.reset.connect(self._document_replaced)
        doc.section_changed.connect(lambda key: key == "training" and self._section_edited())
        self._runs_listed: Path | None = None  # the runs folder the earlier-runs list shows
        doc.path_changed.connect(self._list_earlier_runs)  # another document (or the same, saved elsewhere)
        QTimer.singleShot(0, self._list_earlier_runs)  # after the window's first paint
        doc.analyzed.connect(self._check_fit)  # an Input shape edited: does the data still fit?
        self.retranslate()
        self._state("idle")

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.data = QComboBox()
        self.data.setEditable(True)  # any data spec: csv:…, npz:…, images:…
        self.data.setInsertPolicy(QComboBox.NoInsert)  # a typed spec is the choice, not a new entry
        self.data.setObjectName("data")
        for info in builtin_datasets():
            self.data.addItem(info.name, info.name)
            self.data.setItemData(self.data.count() - 1, i18n.text(info.description), Qt.ToolTipRole)
        self.browse = QToolButton()
        self.browse.setObjectName("browse-data")
        self.browse.setPopupMode(QToolButton.InstantPopup)
        self.browse_menu = QMenu(self.browse)
        self.browse_csv = self.browse_menu.addAction("", self.choose_csv)
        self.browse_npz = self.browse_menu.addAction("", self.choose_npz)
        self.browse_images = self.browse_menu.addAction("", self.choose_images)
        self.browse.setMenu(self.browse_menu)
        data_row = QWidget()
        dr = QHBoxLayout(data_row)
        dr.setContentsMargins(0, 0, 0, 0)
        dr.setSpacing(4)
        dr.addWidget(self.data, 1)
        dr.addWidget(self.browse)
        self.data_note = WrappedLabel()
        self.data_note.setStyleSheet("color: #6b7280;")
        self.data.currentTextChanged.connect(self._describe_data)
        self.preview = DataPreview()
        self.fit_note = WrappedLabel()
        self.fit_note.setObjectName("fit-note")
        self.fit_problem: str | None = None  # why the loaded data does not fit the graph
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_MS)  # typing a spec: load once the typing pauses
        self._reload_timer.timeout.connect(self._reload_data)
        self.data.currentTextChanged.connect(lambda _: self._reload_timer.start())
        self.preview.loaded.connect(lambda _: self._check_fit())
        self.preview.failed.connect(self._data_failed)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000)
        self.mode = QComboBox()
        for value in MODES:
            self.mode.addItem(value, value)
        self.batch = QSpinBox()
        self.batch.setRange(1, 1_000_000)
        self.mode.currentIndexChanged.connect(lambda _: self.batch.setEnabled(self.mode.currentData() == "mini-batch"))
        self.optimizer = QComboBox()
        for value in OPTIMIZERS:
            self.optimizer.addItem(value, value)
        self.lr = QLineEdit()
        self.loss = QComboBox()
        for value in LOSSES:
            self.loss.addItem(value, value)
        self.schedule = QComboBox()
        for value in SCHEDULES:
            self.schedule.addItem(value, value)
        self.early = QSpinBox()
        self.early.setRange(0, 10_000)
        self.val_split = QDoubleSpinBox()
        self.val_split.setRange(0.0, 0.9)
        self.val_split.setSingleStep(0.05)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.device = QComboBox()
        self.device.setObjectName("device")
        self.device.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(12)
        self.devices: list[dict] | None = None  # what `neurona devices` found, once it answers
        self._fill_devices()
        self._devices_process = self._ask_devices()
        self.form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}  # the setting each row edits: its widget
        self.seed.valueChanged.connect(lambda _: self._reload_timer.start())
        self.val_split.valueChanged.connect(lambda _: self._reload_timer.start())
        self.loss.currentIndexChanged.connect(lambda _: self._check_fit())
        # Every change a person makes to the form is an edit of the document's training section
        # (an unsaved change, undoable), so that what they chose is saved with the file.
        self.data.currentTextChanged.connect(lambda _: self._form_edited("data"))
        # the settings the form shows, by their name in the file: numbers, and lists of choices
        self.numbers = {"epochs": self.epochs, "batch_size": self.batch, "early_stopping": self.early,
                        "val_split": self.val_split, "seed": self.seed}
        self.choices = {"mode": self.mode, "optimizer": self.optimizer, "loss": self.loss, "schedule": self.schedule}
        for key, box in self.numbers.items():
            box.valueChanged.connect(lambda _=None, k=key: self._form_edited(k))
        for key, box in {**self.choices, "device": self.device}.items():
            box.activated.connect(lambda _=None, k=key: self._form_edited(k))
        self.lr.textEdited.connect(lambda _: self._form_edited("lr"))
        for key, w in (("data", data_row), ("", self.data_note), ("preview", self.preview), ("", self.fit_note),
                       ("epochs", self.epochs), ("mode", self.mode),
                       ("batch_size", self.batch), ("optimizer", self.optimizer), ("lr", self.lr), ("loss", self.loss),
                       ("schedule", self.schedule), ("early_stopping", self.early), ("val_split", self.val_split),
                       ("seed", self.seed), ("device", self.device)):
            label = QLabel()
            self.labels[key] = label
            if key:
                self.fields[key] = self.data if key == "data" else w
            self.form.addRow(label, w)
        self.start_button = QPushButton()
        self.start_button.setObjectName("start")
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pause")
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("stop")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export_clicked)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button, self.export_button):
            buttons.addWidget(b)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = QLabel()
        self.status.setObjectName("training-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        # During a run the progress and status follow the events at a readable pace, not 20 times
        # a second: each change repaints, and the CPU belongs to the training.
        self._live: tuple[int, str] | None = None
        self._live_timer = QTimer(self)
        self._live_timer.setInterval(LIVE_MS)
        self._live_timer.timeout.connect(self._show_live)
        self._finish_steps: list = []  # what is left to show of the run that ended
        self._finish_timer = QTimer(self)
        self._finish_timer.setInterval(0)
        self._finish_timer.timeout.connect(self._finish_step)
        self.message = WrappedLabel()
        self.message.setObjectName("training-message")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        settings = QWidget()
        sv = QVBoxLayout(settings)
        sv.addLayout(self.form)
        sv.addStretch(1)
        # The settings scroll: their height does not set the dock's (a laptop screen is short), and a
        # status that grows to three lines takes its room from them, not from the plots beside it.
        # The buttons, the progress and the status stay in view under them.
        scroll = QScrollArea()
        scroll.setObjectName("training-settings")
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the column is kept as wide as they need
        self._settings_scroll = scroll
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(scroll, 1)
        controls = QVBoxLayout()
        controls.setContentsMargins(9, 0, 9, 9)
        controls.addLayout(buttons)
        controls.addWidget(self.progress)
        controls.addWidget(self.status)
        controls.addWidget(self.message)
        lv.addLayout(controls)

        self.plots = LivePlots()
        self.metrics = QTableWidget(0, 2)
        self.metrics.setObjectName("metrics")
        self.confusion = QTableWidget(0, 0)
        self.confusion.setObjectName("confusion")
        for t in (self.metrics, self.confusion):
            t.setEditTriggers(QAbstractItemView.NoEditTriggers)
            t.verticalHeader().setDefaultSectionSize(RESULT_ROW_HEIGHT)
            t.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            t.setTextElideMode(Qt.ElideNone)
            # As large as what they hold and no larger: no scroll bar while it fits, and the room
            # left goes to the sample predictions.
            t.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
            t.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        self.metrics.verticalHeader().hide()
        self.confusion.horizontalHeader().setMinimumSectionSize(RESULT_ROW_HEIGHT + 4)
        self.confusion.verticalHeader().setMinimumSectionSize(RESULT_ROW_HEIGHT)
        self.runs = RunsList()
        self.runs.setObjectName("earlier-runs")
        self.runs.itemChanged.connect(lambda item: self.plots.show_earlier(self.runs.row(item), item.checkState() == Qt.Checked))
        self.runs.currentItemChanged.connect(lambda *_: self._update_export())
        # Two pages, each with the whole room: the curves (with the earlier runs they are compared
        # with), and what the finished run scores on the test set. Sharing the room, neither was
        # readable: the confusion matrix showed 2 of its 10 rows.
        self.runs_title = QLabel()
        runs_box = QWidget()
        rv = QVBoxLayout(runs_box)
        rv.setContentsMargins(6, 2, 6, 2)
        rv.setSpacing(2)
        rv.addWidget(self.runs_title)
        rv.addWidget(self.runs)
        self.curves_page = QSplitter(Qt.Vertical)
        self.curves_page.setObjectName("curves-page")
        self.curves_page.addWidget(self.plots)
        self.curves_page.addWidget(runs_box)
        self.curves_page.setStretchFactor(0, 1)
        self.curves_page.setStretchFactor(1, 0)
        self.curves_page.setCollapsible(0, False)
        # Titles wrap: a long one (Spanish's are) must not take the tables' room.
        self.metrics_title, self.confusion_title, self.samples_title = WrappedLabel(), WrappedLabel(), WrappedLabel()
        self.confusion_note = QLabel()  # one line, narrower than the matrix
        self.confusion_note.setStyleSheet("color: #6b7280;")
        self.samples_view = SamplesView()
        self.results_box = QWidget()
        self.results_box.setObjectName("results-page")
        rg = QGridLayout(self.results_box)
        rg.addWidget(self.metrics_title, 0, 0)
        rg.addWidget(self.metrics, 1, 0, 2, 1, Qt.AlignLeft | Qt.AlignTop)
        rg.addWidget(self.confusion_title, 0, 1)
        rg.addWidget(self.confusion, 1, 1, Qt.AlignLeft | Qt.AlignTop)
        rg.addWidget(self.confusion_note, 2, 1, Qt.AlignLeft | Qt.AlignTop)
        rg.addWidget(self.samples_title, 0, 2)
        rg.addWidget(self.samples_view, 1, 2, 3, 1)
        rg.setRowStretch(3, 1)
        rg.setColumnStretch(2, 1)
        rg.setHorizontalSpacing(16)
        self.result_tabs = QTabWidget()
        self.result_tabs.setObjectName("result-tabs")
        self.result_tabs.setDocumentMode(True)
        self.result_tabs.addTab(self.curves_page, "")
        self.result_tabs.addTab(self.results_box, "")
        self.training_started.connect(lambda: self.result_tabs.setCurrentWidget(self.curves_page))
        self.training_finished.connect(lambda _: self.result_tabs.setCurrentWidget(self.results_box))
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.result_tabs)
        split.setStretchFactor(0, 0)  # a wider window widens the curves and results, not the settings
        split.setStretchFactor(1, 1)
        self._split, self._split_sized = split, False
        self.plots.setMinimumHeight(PLOTS_MIN_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(split)

    def retranslate(self) -> None:
        names = {"data": self.tr("Data"), "epochs": self.tr("Epochs"), "mode": self.tr("Gradient descent"),
                 "batch_size": self.tr("Batch size"), "optimizer": self.tr("Optimizer"), "lr": self.tr("Learning rate"),
                 "loss": self.tr("Loss"), "schedule": self.tr("Schedule"), "early_stopping": self.tr("Early stopping"),
                 "val_split": self.tr("Validation share"), "seed": self.tr("Seed"), "device": self.tr("Device"),
                 "preview": self.tr("Preview")}
        for key, label in self.labels.items():
            label.setText(names.get(key, ""))
        self.early.setSpecialValueText(self.tr("off"))
        self.early.setSuffix(self.tr(" epochs without improvement"))
        self.data.setToolTip(self.tr("A built-in data set, or your own: csv:data.csv?target=label, npz:data.npz, "
                                     "images:folder/?size=28&gray=1"))
        self.browse.setText(self.tr("Open…"))
        self.browse.setToolTip(self.tr("Train on your own data: a CSV file, a NumPy .npz file or a folder of images"))
        self.browse_csv.setText(self.tr("&CSV file…"))
        self.browse_npz.setText(self.tr("&NumPy .npz file (arrays X and y)…"))
        self.browse_images.setText(self.tr("&Image folder (one subfolder per class)…"))
        # Short names in the list, what each does in its tooltip with the name the file and the
        # command line use.
        shown = {
            self.mode: {"mini-batch": (self.tr("mini-batch"), self.tr("A batch of samples per step (the batch size)")),
                        "full-batch": (self.tr("full batch"), self.tr("Every training sample in each step")),
                        "stochastic": (self.tr("stochastic"), self.tr("One sample per step"))},
            self.optimizer: {"sgd": ("SGD", self.tr("Stochastic gradient descent")), "adam": ("Adam", ""),
                             "adamw": ("AdamW", self.tr("Adam with decoupled weight decay")),
                             "rmsprop": ("RMSprop", ""), "adagrad": ("Adagrad", "")},
            self.loss: {"auto": (self.tr("automatic"), self.tr("Chosen from the network and the data")),
                        "mse": ("MSE", self.tr("Mean squared error")), "l1": ("L1", self.tr("Mean absolute error")),
                        "smooth_l1": (self.tr("smooth L1"), ""), "huber": ("Huber", ""),
                        "bce": (self.tr("BCE (probabilities)"), self.tr("Binary cross-entropy on probabilities "
                                                                     "(after a Sigmoid)")),
                        "bce_with_logits": (self.tr("BCE with logits"), self.tr("Binary cross-entropy on scores "
                                                                             "(no Sigmoid at the end)")),
                        "cross_entropy": (self.tr("cross-entropy"), self.tr("For classes: scores in, class out")),
                        "nll": ("NLL", self.tr("Negative log-likelihood (after a LogSoftmax)"))},
            self.schedule: {"none": (self.tr("none"), self.tr("The learning rate stays the same")),
                            "step": (self.tr("step"), self.tr("Lower the rate every few epochs")),
                            "exponential": (self.tr("exponential"), self.tr("Lower the rate a little every epoch")),
                            "cosine": (self.tr("cosine"), self.tr("Lower the rate along a cosine, to zero at the end")),
                            "plateau": (self.tr("on a plateau"), self.tr("Lower the rate when learning stalls"))},
        }
        for box, names in shown.items():
            for i in range(box.count()):
                value = box.itemData(i)
                name, what = names.get(value, (value, ""))
                box.setItemText(i, name)
                where = self.tr("In the file and on the command line: {value}").format(value=value)
                box.setItemData(i, f"{what}. {where}" if what else where, Qt.ToolTipRole)
        self.start_button.setText(self.tr("Start"))
        self.pause_button.setText(self.tr("Resume") if self.process.state == "paused" else self.tr("Pause"))
        self.stop_button.setText(self.tr("Stop"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Export the last run to ONNX, checked against PyTorch"))
        self.result_tabs.setTabText(0, self.tr("Learning curves"))
        self.result_tabs.setTabText(1, self.tr("Test results"))
        self.metrics_title.setText(self.tr("Test metrics (best weights)"))
        self.confusion_title.setText(self.tr("Confusion matrix"))
        self.confusion_note.setText(self.tr("rows: true class · columns: predicted"))
        self.runs_title.setText(self.tr("Earlier runs (dashed validation curves; untick to hide)"))
        self.samples_title.setText(self.tr("Sample predictions (test set)"))
        if not self.samples_view.kind:
            self.samples_view.clear()
        self.metrics.setHorizontalHeaderLabels([self.tr("Metric"), self.tr("Value")])
        if self.last is not None:
            self._show_results(self.last.test or {})
        self.plots.retranslate()
        spec = self.data.currentText()
        self.data.blockSignals(True)  # new tooltips are not a new choice of data
        for i, info in enumerate(builtin_datasets()):
            self.data.setItemData(i, i18n.text(info.description), Qt.ToolTipRole)
        if self.data.currentText() != spec:
            self.data.setEditText(spec)
        self.data.blockSignals(False)
        self._describe_data(spec)
        for source in (self._fit_source, self._status_source, self._message_source):
            if source is not None:
                source()
        self.runs.blockSignals(True)
        for i in range(self.runs.count()):
            self._run_item_text(self.runs.item(i))
        self.runs.blockSignals(False)
        self._update_export()
        chosen = self.device.currentData()
        self._fill_devices()
        self._select_device(chosen or "auto")
        if self.isVisible():
            self._fit_settings_width()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit_settings_width()
        if not self._split_sized:  # the first time: the settings column its width, the plots the rest
            total = sum(self._split.sizes())
            if total > 0:
                self._split_sized = True
                left = max(self._settings_scroll.minimumWidth(), min(SETTINGS_WIDTH, total // 3))
                self._split.setSizes([left, total - left])

    def _fit_settings_width(self) -> None:
        """The settings column is never narrower than its widest row (Spanish labels are longer)."""
        scroll = self._settings_scroll
        scroll.setMinimumWidth(scroll.widget().minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the user's own data -------------------------------------------------------------------------
    def _start_folder(self) -> str:
        return str(self.doc.path.parent) if self.doc.path is not None else str(Path.home())

    def _ask_file(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, self._start_folder(), filters)
        return path

    def _ask_folder(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title, self._start_folder())

    def choose_csv(self) -> bool:
        from .datafiles import ColumnPicker, CsvPeekError, peek_csv

        path = self._ask_file(self.tr("Train on a CSV file"), self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if not path:
            return False
        try:
            header, rows = peek_csv(path)
        except CsvPeekError as exc:
            QMessageBox.warning(self, self.tr("Cannot read the file"), str(exc))
            return False
        picker = ColumnPicker(path, header, rows, self)
        if picker.exec() != QDialog.Accepted:
            return False
        self.set_data_spec(picker.spec())
        return True

    def choose_npz(self) -> bool:
        path = self._ask_file(self.tr("Train on a NumPy file"), self.tr("NumPy archives (*.npz);;All files (*)"))
        if not path:
            return False
        self.set_data_spec(f"npz:{path}")
        return True

    def choose_images(self) -> bool:
        from .datafiles import ImageOptions

        folder = self._ask_folder(self.tr("Train on a folder of images (one subfolder per class)"))
        if not folder:
            return False
        options = ImageOptions(folder, self)
        if options.exec() != QDialog.Accepted:
            return False
        self.set_data_spec(options.spec())
        return True

    # -- the data: preview and fit ------------------------------------------------------------------
    def _reload_data(self) -> None:
        spec = self.data.currentText().strip()
        self.fit_problem = None
        self._fit_source = None
        self.fit_note.setText("")
        if not spec:
            return
        self.preview.request(spec, seed=self.seed.value(), val_split=round(self.val_split.value(), 4))

    def _data_failed(self, error: str) -> None:
        self._fit_source = lambda: self._data_failed(error)
        self.fit_problem = i18n.text(error)
        self.fit_note.setText(f"<span style='color:#c03535'>✗ {html.escape(self.fit_problem)}</span>")

    def _check_fit(self) -> None:
        """The engine's own pre-training check, here and now: what to change, before Start."""
        splits = self.preview.splits
        if splits is None:
            return
        self._fit_source = self._check_fit
        from ...train.fit import FitError, fit

        try:
            fitted = fit(self.doc.graph, self.doc.analysis, splits, self.loss.currentData())
        except FitError as exc:
            self.fit_problem = i18n.text(exc.message) + (" — " + i18n.text(exc.fix) if exc.fix else "")
            self.fit_note.setText(f"<span style='color:#c03535'>✗ {html.escape(self.fit_problem)}</span>")
            return
        self.fit_problem = None
        shaped = fitted.splits
        if not self.process.running:  # before a run: the metric plot says what this data will show
            self.plots.set_metric("accuracy" if shaped.task == "classification" else "r2")
        shape = "×".join(str(d) for d in shaped.sample_shape)
        text = self.tr("✓ Fits the network: {train} training, {val} validation and {test} test samples of {shape}").format(
            train=i18n.number(len(shaped.train)), val=i18n.number(len(shaped.val)),
            test=i18n.number(len(shaped.test)), shape=shape)
        if shaped.num_classes:
            text += self.tr(", {n} classes").format(n=shaped.num_classes)
        if tuple(shaped.sample_shape) != tuple(splits.sample_shape):
            text += self.tr(" (reshaped from {shape})").format(shape="×".join(str(d) for d in splits.sample_shape))
        self.fit_note.setText(f"<span style='color:#2f7a4a'>{html.escape(text)}.</span>")

    def _describe_data(self, text: str) -> None:
        info = _builtin(text)
        self.data_note.setText(html.escape(i18n.text(info.description)) if info
                               else self.tr("Your own data (see the tooltip)."))

    # -- settings <-> the document ---------------------------------------------------------------
    def load_settings(self, reload: bool = True) -> None:
        """Fill the form from the document's training section (``reload``: and load its data)."""
        self._loading = True
        try:
            self._load_settings()
        finally:
            self._loading = False
        if reload:
            self._reload_timer.start()

    def _load_settings(self) -> None:
        section = self.doc.graph.extra.get("training") or {}  # an object: the file format checks it
        cfg, errors = TrainConfig.from_dict_partly({k: v for k, v in section.items() if k != "data"})
        # a hand-edited file's mistakes: named, shown as defaults, and left out of the next run's settings
        self._bad_settings = set(errors)
        if errors:
            self._show_message(lambda: self.tr("The file's training settings have mistakes; the form shows the "
                                               "defaults for them, and the next run uses those:") + "".join(
                "\n• " + i18n.text(str(e)) for e in errors.values()), error=True)
        elif self._settings_mistakes_shown:
            self._clear_message()
        self._settings_mistakes_shown = bool(errors)
        self.set_data_spec(str(section.get("data") or "xor"))
        self.epochs.setValue(cfg.epochs)
        _choose(self.mode, cfg.mode)
        self.batch.setValue(cfg.batch_size)
        _choose(self.optimizer, cfg.optimizer)
        self.lr.setText(f"{cfg.lr:g}")
        _choose(self.loss, cfg.loss)
        _choose(self.schedule, cfg.schedule)
        self.early.setValue(cfg.early_stopping or 0)
        self.val_split.setValue(cfg.val_split)
        self.seed.setValue(cfg.seed)
        self._select_device(cfg.device)
        suggested = _suggested(self.data.currentText())
        self._hidden = {}
        if "training" not in self.doc.graph.extra:  # nothing chosen yet: what suits the data
            for key, value in suggested.items():
                self._set_form(key, value)
            self._suggested = dict(suggested)
            self._hidden = {k: v for k, v in suggested.items() if self._form_value(k) is MISSING}
        else:  # the file's settings that are the data's suggestions follow another choice of data
            self._suggested = {k: v for k, v in suggested.items()
                               if section.get(k, TrainConfig().to_dict().get(k)) == v}

    def set_data_spec(self, spec: str) -> None:
        """Show ``spec`` in the data field: as its entry when it names a listed built-in set, else as
        typed, with no entry behind it (a change to the entries, such as their tooltips in another
        language, would otherwise put the entry's name back)."""
        index = self.data.findData(spec)
        if index >= 0:
            self.data.setCurrentIndex(index)
        else:
            self.data.setCurrentIndex(-1)
            self.data.setEditText(spec)

    def _form_value(self, key: str):
        """A setting as the form holds it, in the file's terms (MISSING: the form does not show it)."""
        box = self.numbers.get(key)
        if box is not None:
            if key == "val_split":
                return round(box.value(), 4)
            return (box.value() or None) if key == "early_stopping" else box.value()
        if key in self.choices:
            return self.choices[key].currentData()
        if key == "lr":
            try:
                return float(self.lr.text().replace(",", "."))
            except ValueError:
                return None
        return MISSING  # not a setting the form shows

    def _set_form(self, key: str, value) -> None:
        if key in self.numbers:
            self.numbers[key].setValue(value or 0)
        elif key in self.choices:
            _choose(self.choices[key], value)
        elif key == "lr":
            self.lr.setText(f"{value:g}")

    def _follow_data(self) -> None:
        """Another data set chosen: the settings still at the last data's suggestions (or at the
        defaults) take this one's, so that the defaults train it well; what the person set stays."""
        new = _suggested(self.data.currentText())
        defaults = TrainConfig().to_dict()
        section = self.doc.graph.extra.get("training") or {}
        self._loading = True
        try:
            for key in set(self._suggested) | set(new):
                if key not in defaults:
                    continue
                shown = self._form_value(key)
                now = self._hidden.get(key, section.get(key, defaults[key])) if shown is MISSING else shown
                if now != self._suggested.get(key, defaults[key]):
                    continue  # the person's own choice
                if shown is MISSING:  # a setting only the file holds, such as momentum
                    self._hidden[key] = new.get(key, defaults[key])
                else:
                    self._set_form(key, new.get(key, defaults[key]))
        finally:
            self._loading = False
        self._suggested = dict(new)

    # -- devices -----------------------------------------------------------------------------
    def _ask_devices(self) -> QProcess:
        """``neurona devices --json`` in a child process: torch (and CUDA) never load in the window."""
        proc = QProcess(self)
        proc.setProgram(self.process.python)
        proc.setArguments(["-m", "studio", "devices", "--json"])
        proc.finished.connect(lambda code, status: self._devices_found(proc, code))
        proc.start()
        return proc

    def _devices_found(self, proc: QProcess, code: int) -> None:
        from shiboken6 import isValid

        if not (isValid(self) and isValid(proc)):  # the panel is going away (its child ends with it)
            return
        text = bytes(proc.readAllStandardOutput()).decode("utf-8", "replace").strip()
        proc.deleteLater()
        self._devices_process = None
        try:
            devices = json.loads(text.splitlines()[-1]) if code == 0 and text else None
        except (ValueError, IndexError):
            devices = None
        if not isinstance(devices, list):
            devices = [{"id": "cpu", "kind": "cpu"}]  # could not ask: the CPU is always there
        self.devices = devices
        chosen = self.device.currentData()
        self._fill_devices()
        self._select_device(chosen or "auto")
        self.devices_listed.emit(devices)

    def _fill_devices(self) -> None:
        self.device.blockSignals(True)
        self.device.clear()
        cuda = [d for d in self.devices or () if d.get("kind") == "cuda"]
        if self.devices is None:
            auto, tip = self.tr("auto"), self.tr("Looking for CUDA devices…")
        elif cuda:
            auto = self.tr("auto → {id}").format(id=cuda[0]["id"])
            tip = self.tr("The first CUDA device ({name}), with mixed precision").format(name=cuda[0].get("name", ""))
        else:
            auto = self.tr("auto → cpu")
            tip = self.tr("No CUDA device was found on this machine: training runs on the processor.")
        self.device.addItem(auto, "auto")
        self.device.setItemData(0, tip, Qt.ToolTipRole)
        self.device.setToolTip(tip)
        for d in self.devices or [{"id": "cpu", "kind": "cpu"}]:
            if d.get("kind") == "cuda":
                text = self.tr("{id} — {name}, {memory} GB").format(id=d["id"], name=d.get("name", ""),
                                                                   memory=i18n.number(d.get("memory_gb", 0)))
            else:
                name = d.get("name")
                text = self.tr("cpu — {name}").format(name=name) if name else self.tr("cpu — the processor")
            self.device.addItem(text, d["id"])
        self.device.blockSignals(False)

    def shutdown(self) -> None:
        """The window closes: a device listing still under way is not waited for; the warm
        training process ends."""
        self.process.shutdown()
        if self._devices_process is not None:
            self._devices_process.finished.disconnect()
            self._devices_process.kill()
            self._devices_process.waitForFinished(2000)
            self._devices_process = None

    def _select_device(self, device: str) -> None:
        index = self.device.findData(device)
        if index < 0 and device == "cuda":
            index = self.device.findData("cuda:0")
        if index < 0:  # a setting from another machine (or not yet looked for): kept, and said so
            text = device if self.devices is None else self.tr("{id} (not found on this machine)").format(id=device)
            self.device.addItem(text, device)
            index = self.device.count() - 1
        self.device.setCurrentIndex(index)

    def settings(self) -> dict[str, Any]:
        """The form as a training section: the data and every setting that differs from the default
        (raises ConfigError naming a bad one)."""
        try:
            lr = float(self.lr.text().replace(",", "."))
        except ValueError:
            why = self.tr("must be a number, such as 0.001")
            raise ConfigError(f"lr: {why}", "lr", why) from None
        values = {key: self._form_value(key) for key in (*self.numbers, *self.choices)}
        values.update(lr=lr, device=self.device.currentData() or "auto")
        kept = {k: v for k, v in (self.doc.graph.extra.get("training") or {}).items()
                if k not in values and k != "data" and k not in self._bad_settings}  # momentum … stay
        defaults = TrainConfig().to_dict()
        for key, value in self._hidden.items():  # as the data set suggests them
            if value == defaults.get(key):
                kept.pop(key, None)
            else:
                kept[key] = value
        TrainConfig.from_dict({**kept, **values})  # the engine's own checks, before anything starts
        out: dict[str, Any] = {"data": self.data.currentText().strip(), **kept}
        out.update({k: v for k, v in values.items() if v != defaults.get(k)})
        return out

    # -- running -------------------------------------------------------------------------------
    def _set_progress(self, value: int) -> None:
        """QProgressBar.setValue repaints at once (so that a busy loop still shows progress); this
        window's loop is never busy, so the bar is painted with everything else, on the next
        pass, not in the middle of handling an event."""
        self.progress.setUpdatesEnabled(False)
        self.progress.setValue(value)
        self.progress.setUpdatesEnabled(True)  # schedules the paint

    def start(self) -> bool:
        if self.process.running:
            return False
        self._flush_finish()
        if not self.doc.analysis.ok:
            self._show_message(lambda: self.tr("The network has problems; fix them first (see the problems list)."),
                               error=True)
            return False
        try:
            section = self.settings()
        except ConfigError as exc:
            self._focus_setting(exc)
            self._show_message(lambda e=exc: self._setting_problem(e), error=True)
            return False
        if not section["data"]:
            self._show_message(lambda: self.tr("Choose the data to train on."), error=True)
            return False
        if self.fit_problem is not None and not self._reload_timer.isActive() and not self.preview.busy:
            self._show_message(lambda: self.fit_problem or "", error=True)  # what the run would have said, at once
            self.training_failed.emit(self.fit_problem)
            return False
        old = self.doc.graph.extra.get("training", MISSING)
        if old != section:
            self.doc.push(SetSection("training", section))
        folder = runs_folder(self.doc)
        self._run_name = time.strftime("%Y-%m-%d_%H-%M-%S")
        run_dir = folder / self._run_name
        n = 1
        while run_dir.exists():
            n += 1
            run_dir = folder / f"{self._run_name}-{n}"
        try:
            run_dir.mkdir(parents=True)
            self._graph_file = run_dir.with_suffix(".neurona.tmp")
            self._graph_file.write_text(dump_graph(self.doc.graph), encoding="utf-8")
        except OSError as exc:
            self._show_message(lambda: self.tr("Cannot write the run folder {path}: {reason}").format(
                path=str(folder), reason=exc.strerror or exc), error=True)
            return False
        self.last, self.started_event = None, None
        self.samples_view.clear()
        self._end_live()
        self._clear_message()
        self._clear_results()
        self._set_progress(0)
        if self.process.ready:  # the warm process has PyTorch loaded
            self._set_status(lambda: self.tr("Starting (loading the data)…"))
        else:
            self._set_status(lambda: self.tr("Starting (loading PyTorch and the data)…"))
        self.process.start(self._graph_file, run_dir)
        self.training_started.emit()
        return True

    def toggle_pause(self) -> None:
        if self.process.state == "paused":
            self.process.resume()
        elif self.process.state == "running":
            self.process.pause()

    def stop(self) -> None:
        self.process.stop()

    def _state(self, state: str) -> None:
        busy = state != "idle"
        self.start_button.setEnabled(not busy)
        self._update_export()
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.stop_button.setEnabled(state in ("starting", "running", "paused"))
        self.pause_button.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        for w in (self.data, self.epochs, self.mode, self.batch, self.optimizer, self.lr, self.loss, self.schedule,
                  self.early, self.val_split, self.seed, self.device):
            w.setEnabled(not busy and (w is not self.batch or self.mode.currentData() == "mini-batch"))
        if busy:  # a fixed height while the status changes: its changes never relayout the panel
            self.status.setFixedHeight(max(self.status.height(), self.status.fontMetrics().lineSpacing() * 3 + 4))
        else:
            self.status.setMinimumHeight(0)
            self.status.setMaximumHeight(16_777_215)  # QWIDGETSIZE_MAX: no limit
        if state == "paused":
            if self._live is not None:
                self._apply_live(*self._live)
            self._end_live()
            self.status.setText(self.tr("Paused.") + " " + self.status.text())

    def _event(self, event) -> None:
        if isinstance(event, RunStarted):
            self.started_event = event
            metric = "accuracy" if event.task == "classification" else "r2"
            self.plots.reset(metric, event.batches_per_epoch, event.epochs)
            self.progress.setRange(0, max(1, event.epochs * event.batches_per_epoch))
            self._set_progress(max(0, (event.start_epoch - 1) * event.batches_per_epoch))
            self._set_status(lambda: self.tr("Training on {device}: {n} samples, {b} batches per epoch.").format(
                device=event.device, n=i18n.number(event.train_samples), b=i18n.number(event.batches_per_epoch)))
            if event.notes:
                self._show_message(lambda: " ".join(i18n.text(n) for n in event.notes))
        elif isinstance(event, BatchLosses):
            self.plots.add_batches(event.step, event.losses)
            total = self.started_event.epochs if self.started_event else "?"
            self._set_live(event.step + len(event.losses), self.tr(
                "Epoch {e}/{n} · batch {b} · {s} samples/s · {eta} left").format(
                e=event.epoch, n=total, b=event.first_batch + len(event.losses) - 1,
                s=i18n.number(event.samples_per_second), eta=_fmt_seconds(event.eta_seconds)))
        elif isinstance(event, EpochEnd):
            self.plots.add_epoch(event.epoch, event.train, event.val, event.lr)
            loss = event.val.get("loss")
            acc = event.val.get("accuracy")
            text = self.tr("Epoch {e}/{n} · validation loss {l}").format(
                e=event.epoch, n=event.epochs, l="—" if loss is None else i18n.decimal(loss))
            if acc is not None:
                text += " · " + self.tr("accuracy {a}").format(a=i18n.percent(acc))
            bpe = self.started_event.batches_per_epoch if self.started_event else 0
            self._set_live(event.epoch * bpe, text + " · " + self.tr("{eta} left").format(
                eta=_fmt_seconds(event.eta_seconds)))
        elif isinstance(event, TrainWarning):
            self._show_message(lambda: self._warning_text(event))

    def _set_live(self, progress: int, status: str) -> None:
        if self._live is None and not self._live_timer.isActive():  # the first shows at once
            self._apply_live(progress, status)
            self._live_timer.start()
        else:
            self._live = (progress, status)

    def _show_live(self) -> None:
        if self._live is None:
            self._live_timer.stop()  # quiet for a whole interval: the next change shows at once
        else:
            self._apply_live(*self._live)
            self._live = None

    def _apply_live(self, progress: int, status: str) -> None:
        self._set_progress(progress)
        self._status_source = None  # the next event says it again, in the language of the moment
        if status != self.status.text():
            self.status.setText(status)

    def _end_live(self) -> None:
        self._live = None
        self._live_timer.stop()

    def _warning_text(self, w) -> str:
        if w.code == "overfitting":
            return self.tr("Overfitting: the validation loss has been rising while the training loss keeps "
                           "falling — the network is memorising the training samples instead of learning what "
                           "generalises. Try Dropout, fewer parameters, weight decay, more data, or early stopping.")
        return i18n.text(w.message)

    def _focus_setting(self, exc: ConfigError) -> None:
        """The field of a bad setting the form shows: scrolled into view and focused."""
        field = self.fields.get(exc.key) if exc.key else None
        if field is None or not exc.why:
            return
        self._settings_scroll.ensureWidgetVisible(field)
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()

    def _setting_problem(self, exc: ConfigError) -> str:
        """A bad setting, named as the form labels it when the form shows it; a setting only the
        file holds keeps the file's name for it."""
        if exc.key not in self.fields or not exc.why:
            return i18n.text(str(exc))
        return f"{self.labels[exc.key].text()}: {i18n.text(exc.why)}"

    def _show_message(self, text, error: bool = False) -> None:
        """``text``: what to say, or a function that says it in the window's language (said again
        when the language changes)."""
        def show() -> None:
            self.message_text = text() if callable(text) else text
            colour = "#c03535" if error else "#9a5b00"
            body = html.escape(self.message_text).replace(chr(10), "<br>")
            self.message.setText(f"<span style='color:{colour}'>{body}</span>")

        self._message_source = show if callable(text) else None
        show()

    def _clear_message(self) -> None:
        self._message_source = None
        self.message_text = ""
        self.message.clear()

    def _set_status(self, text) -> None:
        """The status line from a function that writes it in the window's language."""
        def show() -> None:
            self.status.setText(text())

        self._status_source = show
        show()

    def _finished_text(self, done: Done) -> str:
        reason = {"completed": self.tr("Finished"), "stopped": self.tr("Stopped"),
                  "early_stopping": self.tr("Stopped early (no more improvement)")}.get(done.reason, done.reason)
        return self.tr("{reason} after {n} epochs in {t}; best epoch {b}. Run folder: {path}").format(
            reason=reason, n=done.epochs_run, t=_fmt_seconds(done.seconds), b=done.best_epoch or "—", path=done.run_dir)

    # -- the document's runs, its settings, another document ------------------------------------
    def _run_item_text(self, item: QListWidgetItem) -> None:
        name, test, _ = item.data(RUN_ROLE)
        accuracy = test.get("accuracy")
        item.setText(self.tr("{name}: test accuracy {a}").format(name=name, a=i18n.percent(accuracy))
                     if isinstance(accuracy, (int, float)) and not isinstance(accuracy, bool) else name)

    def export_target(self, list_runs: bool = True) -> str | None:
        """The run Export… exports: the one chosen in the list of runs, else the last one trained,
        else the newest finished run on disk (a document opened again)."""
        if list_runs and self._runs_listed is None:  # asked before the list was first filled (at start-up)
            self._list_earlier_runs()
        item = self.runs.currentItem()
        if item is not None and item.data(RUN_ROLE):
            return item.data(RUN_ROLE)[2]
        if self.last is not None:
            return self.last.run_dir
        for i in reversed(range(self.runs.count())):
            data = self.runs.item(i).data(RUN_ROLE)
            if data:
                return data[2]
        return None

    def _export_clicked(self) -> None:
        target = self.export_target()
        if target is not None:
            self.export_requested.emit(target)

    def _update_export(self) -> None:
        target = self.export_target(list_runs=False) if self.process.state == "idle" else None
        self.export_button.setEnabled(target is not None)
        if target is not None:
            self.export_button.setToolTip(self.tr("Export the run {name} to ONNX, checked against PyTorch").format(
                name=Path(target).name))
        self.export_available.emit(target is not None)

    def _form_edited(self, key: str) -> None:
        """A person changed a setting: the document's training section follows (an unsaved change,
        one undo step per setting however many keys it took)."""
        if self._loading or self.process.running:
            return
        if key == "data":
            self._follow_data()
        try:
            section = self.settings()
        except ConfigError:
            return  # a value being typed (the learning rate "0."): Start names what is wrong
        if self.doc.graph.extra.get("training", MISSING) != section:
            self._pushing = True
            try:
                self.doc.push(SetSection("training", section, setting=key))
            finally:
                self._pushing = False

    def _section_edited(self) -> None:
        """The training section changed other than through the form (undo, redo): show it."""
        if not self._pushing and not self.process.running:
            self.load_settings(reload=False)

    def _document_replaced(self) -> None:
        """Another document (or the same one read again): its settings, and none of the results of
        the runs of the one before; its own earlier runs are listed when its path is known."""
        self._flush_finish()
        self._clear_results()
        self.last, self.started_event = None, None
        self._end_live()
        self._status_source = None
        self.status.setText("")
        self._set_progress(0)
        self._clear_message()
        self.load_settings()
        self._update_export()

    def _clear_results(self) -> None:
        """Empty the live curves and the after-training results (earlier runs stay listed)."""
        self.plots.reset(self.plots.metric_name, 1)
        self.metrics.setRowCount(0)
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.samples_view.clear()

    def _finished(self, done: Done) -> None:
        self.last = done
        self._end_live()
        self._cleanup()
        self._set_progress(self.progress.maximum() if done.reason == "completed" else self.progress.value())
        self._set_status(lambda: self._finished_text(done))
        # The results come one part per turn of the event loop, each painted before the next is
        # built: all at once (the plots' last redraw, tables, sample predictions) they were the
        # longest stall a run's end gave the window.
        name = self._run_name
        class_names = self.started_event.class_names if self.started_event else None
        self._finish_steps = [lambda: (self.plots.finish(name), self._add_run_item(name, done.test or {}, True, done.run_dir)),
                              lambda: self._show_results(done.test or {}),
                              lambda: self.samples_view.show_run(done.run_dir, class_names),
                              lambda: self._results_shown(done)]
        self._finish_timer.start()

    def _finish_step(self) -> None:
        if self._finish_steps:
            self._finish_steps.pop(0)()
        if not self._finish_steps:
            self._finish_timer.stop()

    def _flush_finish(self) -> None:
        """Show what is left of the last run's results now (a new run starts)."""
        while self._finish_steps:
            self._finish_step()

    def _results_shown(self, done: Done) -> None:
        self._update_export()
        self.training_finished.emit(done)

    # -- earlier runs ----------------------------------------------------------------------------
    def _add_run_item(self, name: str, test: dict, shown: bool, path: str | Path) -> None:
        item = QListWidgetItem()
        item.setData(RUN_ROLE, (name, test, str(path)))
        self._run_item_text(item)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        self.runs.blockSignals(True)  # the plots already know whether it is shown
        item.setCheckState(Qt.Checked if shown else Qt.Unchecked)
        self.runs.addItem(item)
        self.runs.blockSignals(False)

    def _list_earlier_runs(self) -> None:
        """The document's finished runs on disk (its runs folder), overlaid for comparison: the
        newest few shown, the rest listed to tick. Another document's runs go."""
        from ...train.history import finished_runs

        folder = runs_folder(self.doc)
        if folder == self._runs_listed or self.process.running:
            return
        self._runs_listed = folder
        self.runs.clear()
        self.plots.clear_earlier()
        found = finished_runs(folder)
        for i, run in enumerate(found):
            shown = i >= len(found) - SHOWN_EARLIER
            epochs = np.asarray(run.epochs, dtype=float)
            self.plots.add_earlier(run.name, (epochs * run.batches_per_epoch, run.val_loss), (epochs, run.val_metric),
                                   max(run.epochs, default=0), shown=shown)
            self._add_run_item(run.name, run.test, shown, run.path)
        self.plots.fit_y()
        self._update_export()

    def _failed(self, message: str, fix: str) -> None:
        self._end_live()
        self._cleanup()
        self._show_message(lambda: i18n.text(message) + (" — " + i18n.text(fix) if fix else ""), error=True)
        self._set_status(lambda: self.tr("The run did not finish."))
        self._update_export()
        self.training_failed.emit(self.message_text)

    def _cleanup(self) -> None:
        if self._graph_file is not None:
            try:
                self._graph_file.unlink()
            except OSError:
                pass
            self._graph_file = None

    def _metric_names(self) -> dict[str, str]:
        return {"loss": self.tr("Loss"), "accuracy": self.tr("Accuracy"),
                "precision": self.tr("Precision (macro average)"), "recall": self.tr("Recall (macro average)"),
                "f1": self.tr("F1 (macro average)"), "mse": self.tr("MSE (mean squared error)"),
                "rmse": self.tr("RMSE (root of the MSE)"), "mae": self.tr("MAE (mean absolute error)"),
                "r2": self.tr("R² (coefficient of determination)")}

    def _show_results(self, test: dict) -> None:
        rows = [(k, v) for k, v in test.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        self.metrics.setRowCount(len(rows))
        self.metrics.setHorizontalHeaderLabels([self.tr("Metric"), self.tr("Value")])
        names = self._metric_names()
        for r, (k, v) in enumerate(rows):
            name = QTableWidgetItem(names.get(k, k))
            name.setToolTip(k)  # the engine's name for it, as in summary.json and neurona evaluate
            self.metrics.setItem(r, 0, name)
            text = i18n.percent(v) if k in ("accuracy", "precision", "recall", "f1") else i18n.decimal(v)
            self.metrics.setItem(r, 1, QTableWidgetItem(text))
        matrix = test.get("confusion_matrix")
        names = (self.started_event.class_names if self.started_event else None) or []
        shown = isinstance(matrix, list) and bool(matrix)  # a classifier's: a regression has none
        for w in (self.confusion_title, self.confusion, self.confusion_note):
            w.setVisible(shown)
        if not shown:
            self.confusion.setRowCount(0)
            self.confusion.setColumnCount(0)
            return
        n = len(matrix)
        labels = [str(names[i]) if i < len(names) else str(i) for i in range(n)]
        self.confusion.setRowCount(n)
        self.confusion.setColumnCount(n)
        self.confusion.setHorizontalHeaderLabels(labels)
        self.confusion.setVerticalHeaderLabels(labels)
        peak = max((max(row) for row in matrix), default=1) or 1
        for i, row in enumerate(matrix):
            for j, count in enumerate(row):
                cell = QTableWidgetItem(str(count))
                cell.setTextAlignment(Qt.AlignCenter)
                strength = count / peak
                base = (47, 111, 237) if i == j else (214, 69, 69)  # right answers blue, mistakes red
                cell.setBackground(QBrush(QColor(*base, int(30 + 200 * strength) if count else 0)))
                if strength > 0.6:
                    cell.setForeground(QBrush(QColor("white")))
                self.confusion.setItem(i, j, cell)
