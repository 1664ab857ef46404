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
from PySide6.QtCore import QEvent, QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QMessageBox, QProgressBar,
    QPushButton, QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from ...data.builtin import builtin_datasets
from ...graph import SetSection
from ...graph.model import MISSING
from ...layers import dump_graph
from ...train.config import LOSSES, MODES, OPTIMIZERS, SCHEDULES, ConfigError, TrainConfig
from ...train.events import BatchLosses, Done, EpochEnd, RunStarted, Warning as TrainWarning
from .. import i18n
from ..document import Document
from .plots import LivePlots
from .preview import DataPreview
from .samples import SamplesView
from .process import TrainingProcess

LIVE_MS = 250  # how often the progress bar and status line follow a run
RELOAD_MS = 400  # the pause in typing a data spec after which it loads
SETTINGS_WIDTH = 360  # pixels: the settings column's first width (then the user's)
PLOTS_MIN_HEIGHT = 160


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


def runs_folder(doc: Document) -> Path:
    """Where this document's runs go: ``runs/<name>/`` beside a saved file, else (unsaved, or a
    folder the user cannot write, such as an installed example) in the user's data folder."""
    import os

    if doc.path is not None and os.access(doc.path.parent, os.W_OK):
        return doc.path.parent / "runs" / doc.path.stem
    from platformdirs import user_data_dir  # unsaved, or beside a file in a read-only place

    return Path(user_data_dir("neurona-studio", appauthor=False)) / "runs" / (doc.graph.name or "untitled")


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
        self._build()
        self.load_settings()
        doc.reset.connect(self.load_settings)
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
        self.mode.addItems(MODES)
        self.batch = QSpinBox()
        self.batch.setRange(1, 1_000_000)
        self.mode.currentTextChanged.connect(lambda m: self.batch.setEnabled(m == "mini-batch"))
        self.optimizer = QComboBox()
        self.optimizer.addItems(OPTIMIZERS)
        self.lr = QLineEdit()
        self.loss = QComboBox()
        self.loss.addItems(LOSSES)
        self.schedule = QComboBox()
        self.schedule.addItems(SCHEDULES)
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
        self.loss.currentTextChanged.connect(lambda _: self._check_fit())
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
        self.export_button.clicked.connect(lambda: self.last and self.export_requested.emit(self.last.run_dir))
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
            t.verticalHeader().setDefaultSectionSize(22)
        self.metrics.verticalHeader().hide()
        self.metrics.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.runs = QListWidget()
        self.runs.setObjectName("earlier-runs")
        self.runs.itemChanged.connect(lambda item: self.plots.show_earlier(self.runs.row(item), item.checkState() == Qt.Checked))
        self.results_box = QGroupBox()
        rg = QGridLayout(self.results_box)
        self.metrics_title, self.confusion_title, self.runs_title = QLabel(), QLabel(), QLabel()
        rg.addWidget(self.metrics_title, 0, 0)
        rg.addWidget(self.confusion_title, 0, 1)
        rg.addWidget(self.metrics, 1, 0)
        rg.addWidget(self.confusion, 1, 1)
        rg.addWidget(self.runs_title, 2, 0, 1, 2)
        rg.addWidget(self.runs, 3, 0, 1, 2)
        self.samples_title = QLabel()
        self.samples_view = SamplesView()
        rg.addWidget(self.samples_title, 0, 2)
        rg.addWidget(self.samples_view, 1, 2, 3, 1)
        rg.setColumnStretch(1, 2)
        rg.setColumnStretch(2, 3)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.plots)
        right.addWidget(self.results_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
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
        self.start_button.setText(self.tr("Start"))
        self.pause_button.setText(self.tr("Resume") if self.process.state == "paused" else self.tr("Pause"))
        self.stop_button.setText(self.tr("Stop"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Export the last run to ONNX, checked against PyTorch"))
        self.results_box.setTitle(self.tr("After training"))
        self.metrics_title.setText(self.tr("Test metrics (best weights)"))
        self.confusion_title.setText(self.tr("Confusion matrix (rows: true class, columns: predicted)"))
        self.runs_title.setText(self.tr("Earlier runs (dashed validation curves; untick to hide)"))
        self.samples_title.setText(self.tr("Sample predictions (test set)"))
        if not self.samples_view.kind:
            self.samples_view.clear()
        self.metrics.setHorizontalHeaderLabels([self.tr("Metric"), self.tr("Value")])
        if self.last is not None:
            self._show_results(self.last.test or {})
        self.plots.retranslate()
        for i, info in enumerate(builtin_datasets()):
            self.data.setItemData(i, i18n.text(info.description), Qt.ToolTipRole)
        self._describe_data(self.data.currentText())
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
        self.data.setCurrentText(picker.spec())
        return True

    def choose_npz(self) -> bool:
        path = self._ask_file(self.tr("Train on a NumPy file"), self.tr("NumPy archives (*.npz);;All files (*)"))
        if not path:
            return False
        self.data.setCurrentText(f"npz:{path}")
        return True

    def choose_images(self) -> bool:
        from .datafiles import ImageOptions

        folder = self._ask_folder(self.tr("Train on a folder of images (one subfolder per class)"))
        if not folder:
            return False
        options = ImageOptions(folder, self)
        if options.exec() != QDialog.Accepted:
            return False
        self.data.setCurrentText(options.spec())
        return True

    # -- the data: preview and fit ------------------------------------------------------------------
    def _reload_data(self) -> None:
        spec = self.data.currentText().strip()
        self.fit_problem = None
        if not spec:
            self.fit_note.setText("")
            return
        self.fit_note.setText("")
        self.preview.request(spec, seed=self.seed.value(), val_split=round(self.val_split.value(), 4))

    def _data_failed(self, error: str) -> None:
        self.fit_problem = i18n.text(error)
        self.fit_note.setText(f"<span style='color:#c03535'>✗ {html.escape(self.fit_problem)}</span>")

    def _check_fit(self) -> None:
        """The engine's own pre-training check, here and now: what to change, before Start."""
        splits = self.preview.splits
        if splits is None:
            return
        from ...train.fit import FitError, fit

        try:
            fitted = fit(self.doc.graph, self.doc.analysis, splits, self.loss.currentText())
        except FitError as exc:
            self.fit_problem = i18n.text(exc.message) + (" — " + i18n.text(exc.fix) if exc.fix else "")
            self.fit_note.setText(f"<span style='color:#c03535'>✗ {html.escape(self.fit_problem)}</span>")
            return
        self.fit_problem = None
        shaped = fitted.splits
        if not self.process.running:  # before a run: the metric plot says what this data will show
            self.plots.metric = "accuracy" if shaped.task == "classification" else "r2"
            self.plots.metric_plot.setTitle(self.plots.metric_title())
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
        info = next((i for i in builtin_datasets() if i.name == text.split("?")[0]), None)
        self.data_note.setText(html.escape(i18n.text(info.description)) if info
                               else self.tr("Your own data (see the tooltip)."))

    # -- settings <-> the document ---------------------------------------------------------------
    def load_settings(self) -> None:
        section = self.doc.graph.extra.get("training") or {}  # an object: the file format checks it
        cfg, errors = TrainConfig.from_dict_partly({k: v for k, v in section.items() if k != "data"})
        # a hand-edited file's mistakes: named, shown as defaults, and left out of the next run's settings
        self._bad_settings = set(errors)
        if errors:
            self._show_message(self.tr("The file's training settings have mistakes; the form shows the defaults "
                                       "for them, and the next run uses those:") + "".join(
                "\n• " + i18n.text(str(e)) for e in errors.values()), error=True)
        elif self._settings_mistakes_shown:
            self.message.clear()
        self._settings_mistakes_shown = bool(errors)
        self.data.setCurrentText(str(section.get("data") or "xor"))
        self.epochs.setValue(cfg.epochs)
        self.mode.setCurrentText(cfg.mode)
        self.batch.setValue(cfg.batch_size)
        self.optimizer.setCurrentText(cfg.optimizer)
        self.lr.setText(f"{cfg.lr:g}")
        self.loss.setCurrentText(cfg.loss)
        self.schedule.setCurrentText(cfg.schedule)
        self.early.setValue(cfg.early_stopping or 0)
        self.val_split.setValue(cfg.val_split)
        self.seed.setValue(cfg.seed)
        self._select_device(cfg.device)
        self._reload_timer.start()

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
        values = {"epochs": self.epochs.value(), "mode": self.mode.currentText(), "batch_size": self.batch.value(),
                  "optimizer": self.optimizer.currentText(), "lr": lr, "loss": self.loss.currentText(),
                  "schedule": self.schedule.currentText(), "early_stopping": self.early.value() or None,
                  "val_split": round(self.val_split.value(), 4), "seed": self.seed.value(),
                  "device": self.device.currentData() or "auto"}
        kept = {k: v for k, v in (self.doc.graph.extra.get("training") or {}).items()
                if k not in values and k != "data" and k not in self._bad_settings}  # momentum … stay
        TrainConfig.from_dict({**kept, **values})  # the engine's own checks, before anything starts
        defaults = TrainConfig().to_dict()
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
            self._show_message(self.tr("The network has problems; fix them first (see the problems list)."), error=True)
            return False
        try:
            section = self.settings()
        except ConfigError as exc:
            self._show_message(self._setting_problem(exc), error=True)
            return False
        if not section["data"]:
            self._show_message(self.tr("Choose the data to train on."), error=True)
            return False
        if self.fit_problem is not None and not self._reload_timer.isActive() and not self.preview.busy:
            self._show_message(self.fit_problem, error=True)  # what the run would have said, at once
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
            self._show_message(self.tr("Cannot write the run folder {path}: {reason}").format(
                path=str(folder), reason=exc.strerror or exc), error=True)
            return False
        self.last, self.started_event = None, None
        self.samples_view.clear()
        self._end_live()
        self.message.clear()
        self._set_progress(0)
        self.status.setText(self.tr("Starting (loading PyTorch and the data)…"))
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
        self.export_button.setEnabled(not busy and self.last is not None)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.stop_button.setEnabled(state in ("starting", "running", "paused"))
        self.pause_button.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        for w in (self.data, self.epochs, self.mode, self.batch, self.optimizer, self.lr, self.loss, self.schedule,
                  self.early, self.val_split, self.seed, self.device):
            w.setEnabled(not busy and (w is not self.batch or self.mode.currentText() == "mini-batch"))
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
            self.status.setText(self.tr("Training on {device}: {n} samples, {b} batches per epoch.").format(
                device=event.device, n=i18n.number(event.train_samples), b=i18n.number(event.batches_per_epoch)))
            if event.notes:
                self._show_message(" ".join(i18n.text(n) for n in event.notes))
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
            self._show_message(self._warning_text(event))

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

    def _setting_problem(self, exc: ConfigError) -> str:
        """A bad setting, named as the form labels it (and its field focused) when the form shows it;
        a setting only the file holds keeps the file's name for it."""
        field = self.fields.get(exc.key) if exc.key else None
        if field is None or not exc.why:
            return i18n.text(str(exc))
        self._settings_scroll.ensureWidgetVisible(field)
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()
        return f"{self.labels[exc.key].text()}: {i18n.text(exc.why)}"

    def _show_message(self, text: str, error: bool = False) -> None:
        colour = "#c03535" if error else "#9a5b00"
        self.message.setText(f"<span style='color:{colour}'>{html.escape(text).replace(chr(10), '<br>')}</span>")

    def _finished(self, done: Done) -> None:
        self.last = done
        self._end_live()
        self._cleanup()
        reason = {"completed": self.tr("Finished"), "stopped": self.tr("Stopped"),
                  "early_stopping": self.tr("Stopped early (no more improvement)")}.get(done.reason, done.reason)
        self._set_progress(self.progress.maximum() if done.reason == "completed" else self.progress.value())
        self.status.setText(self.tr("{reason} after {n} epochs in {t}; best epoch {b}. Run folder: {path}").format(
            reason=reason, n=done.epochs_run, t=_fmt_seconds(done.seconds), b=done.best_epoch or "—", path=done.run_dir))
        # The results come one part per turn of the event loop, each painted before the next is
        # built: all at once (the plots' last redraw, tables, sample predictions) they were the
        # longest stall a run's end gave the window.
        name = self._run_name
        class_names = self.started_event.class_names if self.started_event else None
        self._finish_steps = [lambda: (self.plots.finish(name), self._add_run_item(name, done.test or {}, shown=True)),
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
        self.export_button.setEnabled(True)
        self.training_finished.emit(done)

    # -- earlier runs ----------------------------------------------------------------------------
    def _add_run_item(self, name: str, test: dict, shown: bool) -> None:
        accuracy = test.get("accuracy")
        text = (self.tr("{name}: test accuracy {a}").format(name=name, a=i18n.percent(accuracy))
                if isinstance(accuracy, (int, float)) else name)
        item = QListWidgetItem(text)
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
            self._add_run_item(run.name, run.test, shown)
        self.plots.fit_y()

    def _failed(self, message: str, fix: str) -> None:
        self._end_live()
        self._cleanup()
        text = i18n.text(message) + (" — " + i18n.text(fix) if fix else "")
        self._show_message(text, error=True)
        self.status.setText(self.tr("The run did not finish."))
        self.training_failed.emit(text)

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
        if not isinstance(matrix, list) or not matrix:
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
        self.confusion.resizeColumnsToContents()
