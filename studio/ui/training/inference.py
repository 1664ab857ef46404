"""The inference panel: open any ONNX model (or the one just exported), see its inputs and
outputs, feed it typed numbers, a file (image, CSV, .npy, .npz) or a test sample of a data set,
run it with onnxruntime, and read the outputs, class probabilities as bars, the top classes and
the latency.

onnxruntime runs here, in the window's process (it needs no torch and answers in microseconds);
the model's own metadata (normalisation, class names) is applied by the runner. What goes in is
shown too: a test sample's numbers (or its picture), and, beside the typed numbers, whether the
model wants them raw (it standardises them itself) or as its network takes them.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter,
    QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from .. import i18n
from .preview import courier, load_in_background, next_request, to_qimage

TOP_K = 5
THUMBNAIL = 96  # pixels: the side of the picture of the fed image
SHOWN_VALUES = 12  # a sample's numbers shown in full up to this many; more are elided (all in the tooltip)
TOOLTIP_VALUES = 1024  # at most this many in the tooltip
NOTE_STYLE = "color: #4b5563;"


def _number(v) -> str:
    return f"{float(v):.4g}"


def _numbers(flat: np.ndarray) -> list[str]:
    """Each number as it can be typed back: four significant digits, whole numbers (token ids,
    true/false) whole."""
    if flat.dtype.kind in "biu":
        return [str(int(v)) for v in flat]
    return [_number(v) for v in flat]


def values_text(x: np.ndarray, limit: int = SHOWN_VALUES) -> tuple[str, int]:
    """A sample's numbers as they can be typed (``0.52, -0.31``): all of them up to ``limit``,
    else the first and last few around an ellipsis; and how many there are."""
    flat = np.ravel(np.asarray(x))
    if flat.size <= limit:
        return ", ".join(_numbers(flat)), int(flat.size)
    return ", ".join(_numbers(flat[:limit - 3])) + ", …, " + ", ".join(_numbers(flat[-2:])), int(flat.size)


def all_values_text(x: np.ndarray, per_line: int = 8, limit: int = TOOLTIP_VALUES) -> str:
    """Every number of a sample (up to ``limit``), ``per_line`` to a line."""
    flat = np.ravel(np.asarray(x))[:limit]
    lines = [", ".join(_numbers(flat[i:i + per_line])) for i in range(0, flat.size, per_line)]
    return "\n".join(lines) + ("\n…" if np.size(x) > limit else "")


def picture_of(sample: np.ndarray) -> QPixmap | None:
    """One sample as a picture when it is an image (C×H×W with 1, 3 or 4 channels), else None:
    grey or colour, stretched to its own range, enlarged without smoothing so pixels stay pixels."""
    a = np.asarray(sample)
    if a.ndim != 3 or a.shape[0] not in (1, 3, 4) or min(a.shape[1:]) < 2 or a.dtype.kind not in "biuf":
        return None
    a = a.astype(np.float32)
    if not np.isfinite(a).all():
        return None
    image = to_qimage(a)
    scale = max(1, THUMBNAIL // max(image.width(), image.height()))
    return QPixmap.fromImage(image.scaled(image.width() * scale, image.height() * scale,
                                          Qt.KeepAspectRatio, Qt.FastTransformation))


def _shape(shape) -> str:
    return "×".join("?" if d is None else str(d) for d in shape) or "scalar"


def _rows(p) -> int:
    """How many samples a prediction holds: its per-sample top classes, else its outputs' common
    leading dimension (1 when they do not agree)."""
    if p.top_k:
        return len(p.top_k)
    leading = {np.shape(v)[0] for v in p.outputs.values() if np.ndim(v) >= 1}
    return leading.pop() if len(leading) == 1 and 0 not in leading else 1


class InferencePanel(QWidget):
    predicted = Signal(object)  # the Prediction

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.runner = None
        self.prediction = None
        self.file_path: str | None = None
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._open_dialog)
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.model_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.io = QTableWidget(0, 4)
        self.io.setObjectName("model-io")
        self.io.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.io.verticalHeader().hide()
        self.io.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.io.setMaximumHeight(150)
        self.source = QComboBox()
        self.source.setObjectName("input-source")
        self.source.addItems(["", "", ""])
        self.sample_spec = QComboBox()
        self.sample_spec.setObjectName("sample-data")
        self.sample_spec.setEditable(True)
        from ...data.builtin import builtin_datasets

        self.sample_spec.addItems([info.name for info in builtin_datasets()])
        self.sample_spec.currentTextChanged.connect(self._sample_spec_changed)
        self.sample_index = QSpinBox()
        self.sample_index.setObjectName("sample-index")
        self.sample_index.setRange(0, 0)
        self.sample_index.valueChanged.connect(lambda _: self.source.currentIndex() == 2 and self._samples and self.run())
        self.sample_truth = QLabel()
        self.sample_truth.setObjectName("sample-truth")
        self.sample_values = QLabel()  # the numbers of the sample that was fed (a picture shows itself)
        self.sample_values.setObjectName("sample-values")
        self.sample_values.setWordWrap(True)
        self.sample_values.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.sample_values.hide()
        self._fed_sample = None  # the array of the last test sample fed, for the values line
        self.picture = QLabel()  # the image that was fed, as the model saw it
        self.picture.setObjectName("input-picture")
        self.picture.setStyleSheet("border: 1px solid #9ca3af")  # a white image edge stays visible
        self.picture.hide()
        self._picture_source = None  # the image samples that were fed, one per row, or None
        self.row = QSpinBox()  # which sample of a batch (a CSV's rows, several typed samples) is shown
        self.row.setObjectName("row")
        self.row.setRange(1, 1)
        self.row.valueChanged.connect(lambda _: self.prediction is not None and self._show(self.prediction))
        self.row.hide()
        self._samples = None  # (spec, DataSplits) of the test samples to feed
        self._sample_request = 0
        self._run_when_loaded = False
        courier().done.connect(self._samples_arrived)  # disconnected by Qt when this panel is deleted
        self.numbers = QLineEdit()
        self.numbers.setObjectName("numbers")
        self.numbers.returnPressed.connect(self.run)
        self.numbers_note = QLabel()  # raw numbers, or as the network takes them: from the model's metadata
        self.numbers_note.setObjectName("numbers-note")
        self.numbers_note.setWordWrap(True)
        self.numbers_note.setStyleSheet(NOTE_STYLE)
        self.numbers_note.hide()
        self.file_button = QPushButton()
        self.file_button.clicked.connect(self._choose_file)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.run_button = QPushButton()
        self.run_button.setObjectName("run")
        self.run_button.clicked.connect(self.run)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.outputs = QLabel()
        self.outputs.setObjectName("outputs")
        self.outputs.setWordWrap(True)
        self.outputs.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.latency = QLabel()
        self.latency.setObjectName("latency")
        self.bars = pg.PlotWidget(background="w")
        self.bars.setObjectName("probabilities")
        self.bars.setYRange(0, 1)
        self.bars.showGrid(y=True, alpha=0.2)
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#2f6fed")
        self.bars.addItem(self.bar_item)

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.model_label, 1)
        feed = QHBoxLayout()
        feed.addWidget(self.source)
        feed.addWidget(self.numbers, 1)
        feed.addWidget(self.file_button)
        feed.addWidget(self.sample_spec, 1)
        feed.addWidget(self.sample_index)
        feed.addWidget(self.run_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.io)
        lv.addLayout(feed)
        lv.addWidget(self.numbers_note)
        lv.addWidget(self.sample_truth)
        lv.addWidget(self.sample_values)
        lv.addWidget(self.message)
        lv.addWidget(self.row, 0, Qt.AlignLeft)
        lv.addWidget(self.picture)
        lv.addWidget(self.outputs)
        lv.addWidget(self.latency)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.bars)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(split)
        self.retranslate()
        self._source_changed(0)
        self._enable()

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open ONNX Model…"))
        self.source.setItemText(0, self.tr("Typed numbers"))
        self.source.setItemText(1, self.tr("A file (image, CSV, .npy, .npz)"))
        self.source.setItemText(2, self.tr("A test sample of a data set"))
        self.sample_index.setPrefix(self.tr("sample "))
        self.sample_index.setToolTip(self.tr("Which sample of the data set's test split to feed"))
        self.picture.setToolTip(self.tr("The image fed to the model"))
        self.row.setPrefix(self.tr("row "))
        self.row.setToolTip(self.tr("The input held several samples: which one's answer to show"))
        if self.prediction is not None:
            self.row.setSuffix(self.tr(" of {n}").format(n=i18n.number(_rows(self.prediction))))
            self._show(self.prediction)
        self.sample_spec.setToolTip(self.tr("The data set the samples come from (a built-in name or a data spec)"))
        self.file_button.setText(self.tr("Choose File…"))
        self.run_button.setText(self.tr("Run"))
        self.io.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Name"), self.tr("Type"), self.tr("Shape")])
        self.bars.setTitle(self.tr("Class probabilities"))
        if self.runner is None:
            self.model_label.setText(self.tr("No model open: export a trained run, or open any .onnx file."))
        self._placeholder()
        self._units_note()
        self._show_sample_values()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the model ---------------------------------------------------------------------------
    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open ONNX model"), "", self.tr("ONNX models (*.onnx)"))
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> bool:
        from ...deploy.errors import DeployError
        from ...deploy.runner import OnnxRunner

        try:
            runner = OnnxRunner(path)
        except (DeployError, OSError) as exc:
            self._say(self.tr("Cannot open {path}: {reason}").format(path=path, reason=i18n.text(str(exc))), error=True)
            return False
        self.runner, self.prediction = runner, None
        self._data_spec_beside(path)
        notes = "; ".join(i18n.text(n) for n in runner.notes)
        from pathlib import Path

        # the name, with its folder a line below (a long path has no place to wrap), all of it a tooltip
        folder = str(Path(path).parent)
        if len(folder) > 60:
            folder = "…" + folder[-59:]
        self.model_label.setText(f"<b>{html.escape(Path(path).name)}</b> · opset {runner.opset}"
                                 + (f" · {html.escape(notes)}" if notes else "")
                                 + f"<br><span style='color:#6b7280'>{html.escape(folder)}</span>")
        self.model_label.setToolTip(str(Path(path).resolve()))
        rows = [(self.tr("input"), s) for s in runner.inputs] + [(self.tr("output"), s) for s in runner.outputs]
        self.io.setRowCount(len(rows))
        for r, (kind, s) in enumerate(rows):
            for c, text in enumerate((kind, s.name, s.dtype, _shape(s.shape))):
                self.io.setItem(r, c, QTableWidgetItem(text))
        self.io.resizeColumnsToContents()
        self.message.clear()
        self.outputs.clear()
        self.latency.clear()
        self._picture_source = None
        self._show_picture(None)
        self._fed_sample = None
        self._show_sample_values()
        self.row.hide()
        self.bar_item.setOpts(x=[], height=[])
        self._placeholder()
        self._units_note()
        self._enable()
        return True

    def _data_spec_beside(self, path: str) -> None:
        """A model exported into its run folder: that run's data is the one to try it on."""
        import json
        from pathlib import Path

        try:
            spec = json.loads((Path(path).parent / "data.json").read_text(encoding="utf-8")).get("spec")
        except (OSError, ValueError, AttributeError):
            return
        if isinstance(spec, str):
            self.set_data_spec(spec)

    def _placeholder(self) -> None:
        if self.runner is not None and len(self.runner.inputs) == 1:
            s = self.runner.inputs[0]
            per_sample = [d for d in s.shape[1:]]
            n = math.prod(d for d in per_sample if isinstance(d, int)) if per_sample else 1
            self.numbers.setPlaceholderText(self.tr("{n} numbers, e.g. {example}").format(
                n=n, example=", ".join(["0"] * min(n, 4)) + (", …" if n > 4 else "")))

    def normalises(self) -> bool:
        """Whether the open model standardises its one float input itself (inside its graph, or
        from its metadata for a model exported before), so what it is given is in the data's own
        units."""
        r = self.runner
        return (r is not None and r.takes_raw_units and r.normalization is not None and len(r.inputs) == 1
                and r.inputs[0].dtype.startswith("float"))

    def _expects_normalised(self) -> bool:
        """Whether the open model was exported without its normalisation: it takes numbers
        already normalised, as its metadata says."""
        r = self.runner
        return (r is not None and r.preprocessing == "outside" and r.normalization is not None
                and len(r.inputs) == 1 and r.inputs[0].dtype.startswith("float"))

    def _normalization_tooltip(self) -> str:
        norm = self.runner.normalization
        return self.tr("mean: {mean}\nstandard deviation: {std}").format(
            mean=", ".join(_number(v) for v in np.ravel(norm.get("mean", []))[:TOOLTIP_VALUES]),
            std=", ".join(_number(v) for v in np.ravel(norm.get("std", []))[:TOOLTIP_VALUES]))

    def _units_note(self) -> None:
        """Beside the typed numbers: raw (the model standardises them) or as the network takes them."""
        r = self.runner
        if r is None or len(r.inputs) != 1:
            self.numbers_note.clear()
            self.numbers_note.setToolTip("")
        elif not r.inputs[0].dtype.startswith("float"):  # token ids, true/false: nothing is ever rescaled
            self.numbers_note.setText(self.tr("This model takes whole numbers ({dtype}): type them as the network "
                                              "takes them.").format(dtype=r.inputs[0].dtype))
            self.numbers_note.setToolTip("")
        elif self.normalises():
            self.numbers_note.setText(self.tr(
                "Type raw values, in the data's own units: the model standardises them itself "
                "(it subtracts the training data's mean and divides by its standard deviation)."))
            self.numbers_note.setToolTip(self._normalization_tooltip())
        elif self._expects_normalised():
            self.numbers_note.setText(self.tr(
                "Type the values already normalised: this model was exported without its normalisation, so "
                "subtract the training data's mean and divide by its standard deviation first."))
            self.numbers_note.setToolTip(self._normalization_tooltip())
        else:
            self.numbers_note.setText(self.tr(
                "Type the values as the network takes them: the model's metadata holds no normalisation, so "
                "they go in unchanged (standardise them first if it was trained on standardised data)."))
            self.numbers_note.setToolTip("")
        self.numbers_note.setVisible(self.source.currentIndex() == 0 and bool(self.numbers_note.text()))

    def _show_sample_values(self) -> None:
        """The numbers of the test sample that was fed, as they went in: ``x = [0.52, -0.31]``,
        elided with their count when there are many (all of them in the tooltip)."""
        x = self._fed_sample
        if x is None or self.source.currentIndex() != 2 or self.runner is None or not self.runner.inputs:
            self.sample_values.hide()
            return
        shown, n = values_text(x)
        name = html.escape(self.runner.inputs[0].name)
        line = f"<code>{name} = [{html.escape(shown)}]</code>"
        if n > SHOWN_VALUES:
            line += " " + html.escape(self.tr("({n} values)").format(n=i18n.number(n)))
        if not self.runner.inputs[0].dtype.startswith("float"):
            units = self.tr("as the network takes them")
        elif self.normalises():
            units = self.tr("in the data's own units: the model standardises them itself")
        elif self._expects_normalised():
            units = self.tr("normalised, as the network takes them: the model was exported without its normalisation")
        else:
            units = self.tr("as the network takes them: the model's metadata holds no normalisation")
        self.sample_values.setText(line + f"<br><span style='{NOTE_STYLE}'>{html.escape(units)}</span>")
        self.sample_values.setToolTip(all_values_text(x))
        self.sample_values.show()

    def _source_changed(self, index: int) -> None:
        self.numbers.setVisible(index == 0)
        self.numbers_note.setVisible(index == 0 and bool(self.numbers_note.text()))
        self.file_button.setVisible(index == 1)
        self.sample_spec.setVisible(index == 2)
        self.sample_index.setVisible(index == 2)
        self.sample_truth.setVisible(index == 2)
        self._show_sample_values()
        if index == 2 and self._samples is None:
            self._load_samples()

    # -- test samples of a data set ----------------------------------------------------------------
    def set_data_spec(self, spec: str) -> None:
        """The data the model was trained on: its test samples are the ones to try."""
        if spec and spec != self.sample_spec.currentText():
            self.sample_spec.setCurrentText(spec)

    def _sample_spec_changed(self, _text: str) -> None:
        self._samples = None
        self._fed_sample = None  # another data set's numbers
        self._show_sample_values()
        if self.source.currentIndex() == 2:
            self._load_samples()

    def _load_samples(self) -> None:
        spec = self.sample_spec.currentText().strip()
        if not spec:
            return
        self._sample_request = next_request()
        self.sample_truth.setText(self.tr("Loading {spec}…").format(spec=spec))
        load_in_background(spec, 0, 0.15, self._sample_request)

    def _samples_arrived(self, request: int, splits, error: str) -> None:
        if request != self._sample_request:
            return
        if splits is None:
            self._samples = None
            self.sample_truth.clear()
            self._say(i18n.text(error), error=True)
            self._run_when_loaded = False
            return
        self._samples = (self.sample_spec.currentText().strip(), splits)
        self.sample_index.blockSignals(True)
        self.sample_index.setRange(0, max(0, len(splits.test) - 1))
        self.sample_index.blockSignals(False)
        self.sample_truth.setText(self.tr("{n} test samples").format(n=i18n.number(len(splits.test))))
        if self._run_when_loaded:
            self._run_when_loaded = False
            self.run()

    def feeds_from_sample(self, splits, index: int):
        """Test sample ``index`` as the model's only input: in the data's own units when the model
        normalises its input itself (its metadata says how), else as the engine trained on it."""
        if len(self.runner.inputs) != 1:
            raise ValueError(self.tr("this model has {n} inputs: give them as an .npz file").format(
                n=len(self.runner.inputs)))
        from ...deploy.preprocessing import to_raw_units

        x = np.asarray(splits.test.x[index:index + 1])
        if self.runner.takes_raw_units and splits.normalization is not None and x.dtype.kind == "f":
            x = to_raw_units(splits.normalization, x)  # the data's own units: the model normalises them itself
        spec = self.runner.inputs[0]
        dims = [d for d in spec.shape[1:]]
        if dims and all(isinstance(d, int) for d in dims) and math.prod(dims) == x[0].size:
            x = x.reshape([1, *dims])  # 1×8×8 images for a model that takes 64 numbers, and so on
        return {spec.name: x}

    def _truth(self, splits, index: int) -> str:
        y = splits.test.y[index]
        if splits.task == "classification":
            k = int(np.ravel(y)[0])
            names = splits.class_names or []
            return str(names[k]) if 0 <= k < len(names) else str(k)
        flat = np.ravel(y)
        return ", ".join(f"{v:.4g}" for v in flat[:8]) + (" …" if flat.size > 8 else "")

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Input for the model"), "",
                                              self.tr("Inputs (*.png *.jpg *.jpeg *.bmp *.csv *.npy *.npz *.pb)"))
        if path:
            self.file_path = path
            self.run()

    def _enable(self) -> None:
        ready = self.runner is not None
        for w in (self.source, self.numbers, self.file_button, self.sample_spec, self.sample_index, self.run_button):
            w.setEnabled(ready)

    # -- running ------------------------------------------------------------------------------
    def feeds_from_numbers(self, text: str):
        """The typed numbers as one sample (or several, separated by ';') of the model's only input."""
        if len(self.runner.inputs) != 1:
            raise ValueError(self.tr("this model has {n} inputs: give them as an .npz file").format(
                n=len(self.runner.inputs)))
        spec = self.runner.inputs[0]
        rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
        if not rows:
            raise ValueError(self.tr("type the numbers of one sample, separated by commas"))
        try:
            values = [[float(v) for v in r.replace(" ", ",").split(",") if v.strip()] for r in rows]
        except ValueError:
            raise ValueError(self.tr("only numbers, separated by commas (and ';' between samples)")) from None
        per_sample = [d if isinstance(d, int) else None for d in spec.shape[1:]]
        if any(d is None for d in per_sample):
            shape = [len(values[0])]
        else:
            shape = per_sample
        need = math.prod(shape) if shape else 1
        for v in values:
            if len(v) != need:
                raise ValueError(self.tr("the model takes {need} numbers per sample ({shape}) but you typed {got}").format(
                    need=need, shape=_shape(shape), got=len(v)))
        return {spec.name: np.asarray(values, dtype=np.float64).reshape([len(values), *shape])}

    def run(self) -> bool:
        if self.runner is None:
            return False
        from ...deploy.errors import DeployError

        try:
            truth = picture = fed = None
            if not self.runner.inputs:
                feeds = {}  # a model that takes nothing (it computes a constant): just run it
            elif self.source.currentIndex() == 0:
                feeds = self.feeds_from_numbers(self.numbers.text())
            elif self.source.currentIndex() == 2:
                if self._samples is None or self._samples[0] != self.sample_spec.currentText().strip():
                    self._run_when_loaded = True
                    self._load_samples()
                    return False
                splits = self._samples[1]
                if len(splits.test) == 0:
                    raise ValueError(self.tr("this data set has no test samples"))
                index = min(self.sample_index.value(), len(splits.test) - 1)
                feeds = self.feeds_from_sample(splits, index)
                truth = self._truth(splits, index)
                picture = splits.test.x[index]  # as the data holds it: a flat-input model still gets a picture
                fed = next(iter(feeds.values()))[0]
            else:
                if not self.file_path:
                    self._choose_file()
                    return self.prediction is not None
                feeds = self.runner.load_inputs(self.file_path)
            prediction = self.runner.predict(feeds, top_k=TOP_K)
        except (ValueError, DeployError) as exc:
            self._say(i18n.text(str(exc)), error=True)
            return False
        self.prediction = prediction
        self.message.clear()
        if picture is not None:
            self._picture_source = np.asarray(picture)[None]
        elif len(feeds) == 1 and np.asarray(next(iter(feeds.values()))).ndim == 4:
            self._picture_source = np.asarray(next(iter(feeds.values())))  # N×C×H×W: one picture per row
        else:
            self._picture_source = None
        rows = _rows(prediction)
        self.row.blockSignals(True)
        self.row.setRange(1, max(1, rows))
        self.row.setValue(1)
        self.row.setSuffix(self.tr(" of {n}").format(n=i18n.number(rows)))
        self.row.blockSignals(False)
        self.row.setVisible(rows > 1)
        if truth is not None:
            self.sample_truth.setText(self.tr("Test sample {i}: the true answer is {truth}").format(
                i=self.sample_index.value(), truth=f"<b>{html.escape(truth)}</b>"))
            self._fed_sample = fed if picture_of(picture) is None else None  # a picture shows an image itself
            self._show_sample_values()
        self._show(prediction)
        self.predicted.emit(prediction)
        return True

    def shown_row(self) -> int:
        """Which sample of the last prediction is shown (0 for a single one)."""
        return self.row.value() - 1 if self.row.isVisibleTo(self) else 0

    def _show(self, p) -> None:
        """The outputs, top classes, probabilities and picture of one sample: the row chosen when
        the input held several (all were run in one batch; the latency is the batch's)."""
        rows = _rows(p)
        r = min(self.shown_row(), rows - 1)
        parts = []
        for name, value in p.outputs.items():
            value = np.asarray(value)
            if rows > 1 and value.ndim >= 1 and len(value) == rows:
                value = value[r]
                label = self.tr("{name}, row {row}").format(name=html.escape(name), row=r + 1)
            else:
                label = html.escape(name)
            flat = value.ravel()
            shown = ", ".join(f"{v:.4g}" for v in flat[:12]) + (" …" if flat.size > 12 else "")
            parts.append(f"<b>{label}</b> ({_shape(list(value.shape))}): {shown}")
        if p.top_k:
            best = ", ".join(f"<b>{html.escape(str(label))}</b> {i18n.percent(prob)}" for label, prob in p.top_k[r])
            parts.append(self.tr("Top classes: {best}").format(best=best))
        self.outputs.setText("<br>".join(parts))
        latency = self.tr("{ms} ms in onnxruntime").format(ms=i18n.fixed(p.seconds * 1000, 3))
        if rows > 1:
            latency += " " + self.tr("for {n} samples").format(n=i18n.number(rows))
        self.latency.setText(latency)
        source = self._picture_source
        self._show_picture(picture_of(source[min(r, len(source) - 1)]) if source is not None and len(source) else None)
        if p.probabilities is not None:
            probs = np.asarray(p.probabilities)[r]
            self.bar_item.setOpts(x=np.arange(len(probs)), height=probs)
            self.bars.getAxis("bottom").setTicks([list(enumerate(self._labels(len(probs))))])
        else:
            self.bar_item.setOpts(x=[], height=[])

    def _show_picture(self, pixmap: QPixmap | None) -> None:
        self.picture.setVisible(pixmap is not None)
        self.picture.setPixmap(pixmap if pixmap is not None else QPixmap())
        if pixmap is not None:
            self.picture.setFixedSize(pixmap.width() + 2, pixmap.height() + 2)

    def _labels(self, k: int) -> list[str]:
        names = self.runner.class_names if self.runner is not None else None
        return list(names) if names and len(names) == k else [str(i) for i in range(k)]

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#c03535" if error else "#374151"
        self.message.setText(f"<span style='color:{colour}'>{html.escape(text)}</span>")
