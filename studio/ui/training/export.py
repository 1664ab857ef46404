"""The export dialog: a trained run to ONNX (the engine's ``export`` in a child process, since it
needs torch), with the parity check against PyTorch shown as a clear pass or fail; PyTorch code;
where the run folder is."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout,
)

from ...deploy.opsets import DEFAULT_OPSET, MAX_OPSET, MIN_OPSET
from .. import i18n


class ExportDialog(QDialog):
    exported = Signal(str)  # the ONNX file, after a passed parity check

    def __init__(self, run_dir: str | Path, parent=None, python: str = sys.executable) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.run_dir = Path(run_dir)
        self.python = python
        self.proc: QProcess | None = None
        self.result: dict | None = None
        self.setWindowTitle(self.tr("Export the trained network"))
        self.path = QLineEdit(str(self.run_dir / "model.onnx"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.opset = QSpinBox()
        self.opset.setRange(MIN_OPSET, MAX_OPSET)  # what the exporter writes
        self.opset.setValue(DEFAULT_OPSET)
        self.opset.setToolTip(self.tr("The ONNX operator set: newer runtimes read newer ones; 17–18 suits most."))
        self.preprocessing = QCheckBox(self.tr("The model normalises its input itself"))
        self.preprocessing.setChecked(True)
        self.preprocessing.setToolTip(self.tr(
            "On: the model takes data in its own units (pixels 0–255, features as in the file) and scales them "
            "as training did, so any runtime gives the answers the studio gives. Off: whoever runs it must "
            "normalise the input first, as the model's metadata says."))
        form = QFormLayout()
        folder = QLabel(f"<code>{html.escape(str(self.run_dir))}</code>")
        folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        folder.setWordWrap(True)
        form.addRow(self.tr("Run folder"), folder)
        form.addRow(self.tr("ONNX file"), row)
        form.addRow(self.tr("Opset"), self.opset)
        form.addRow("", self.preprocessing)
        form.addRow("", QLabel(self.tr("The batch axis is dynamic: the model takes any number of samples.")))
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export to ONNX"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.code_button = QPushButton(self.tr("Export PyTorch Code…"))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.code_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to ONNX"), self.path.text(),
                                              self.tr("ONNX models (*.onnx)"))
        if path:
            self.path.setText(path if path.endswith(".onnx") else path + ".onnx")

    def export(self) -> None:
        if self.proc is not None:
            return
        self.result = None
        self.export_button.setEnabled(False)
        self.verdict.setText(self.tr("Exporting and checking against PyTorch…"))
        proc = QProcess(self)
        proc.setProgram(self.python)
        proc.setArguments(["-m", "studio", "export", str(self.run_dir), "-o", self.path.text(),
                           "--opset", str(self.opset.value()), "--json"]
                          + ([] if self.preprocessing.isChecked() else ["--no-preprocessing"]))
        proc.finished.connect(self._finished)
        self.proc = proc
        proc.start()

    def _finished(self, code: int, status) -> None:
        proc, self.proc = self.proc, None
        out = bytes(proc.readAllStandardOutput()).decode("utf-8", "replace")
        err = bytes(proc.readAllStandardError()).decode("utf-8", "replace").strip()
        proc.deleteLater()
        self.export_button.setEnabled(True)
        try:
            self.result = json.loads(out)
        except ValueError:
            self.result = None
        if self.result is None:
            # the engine's last word, in the window's language, without the command's own prefix
            reason = (i18n.text(err.splitlines()[-1].removeprefix("export failed: ").removeprefix("cannot export: "))
                      if err else self.tr("exit code {code}").format(code=code))
            self._say(self.tr("The export failed: {reason}").format(reason=html.escape(reason)), ok=False)
            return
        p = self.result["parity"]
        ok = bool(p["passed"])
        text = self.tr("Parity with PyTorch on {n} samples: largest difference {d} (tolerance {t}) — {verdict}").format(
            n=p["samples"], d=f"{p['max_abs_diff']:.3g}", t=f"{p['tolerance']:g}",
            verdict=self.tr("passed") if ok else self.tr("FAILED"))
        text += "<br>" + self.tr("Wrote {path} (opset {opset}).").format(path=html.escape(self.result["path"]),
                                                                         opset=self.result["opset"])
        for note in self.result.get("notes") or ():  # e.g. checked on the run's own samples: its data moved
            text += "<br>" + html.escape(i18n.text(note))
        self._say(text, ok=ok)
        if ok:
            self.exported.emit(self.result["path"])

    def _say(self, text: str, ok: bool) -> None:
        colour = "#2f8a57" if ok else "#c03535"
        self.verdict.setText(f"<span style='color:{colour}'>{'✓' if ok else '✗'} {text}</span>")
