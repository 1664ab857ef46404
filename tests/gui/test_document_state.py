"""What the training panel shows belongs to the open document and its runs: a change of language
changes words only, another document brings its own settings and none of the last one's results,
a changed setting is an unsaved change, and a document opened again can export its runs."""

import json
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QMessageBox

from conftest import EXAMPLES, ROOT
from studio.ui import i18n


def shown(label) -> str:
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def language(w, code: str) -> None:
    w.set_language(code)
    for _ in range(3):  # a change of language arrives as posted events
        QApplication.processEvents()


def copy_example(tmp_path, name: str):
    path = tmp_path / f"{name}.neurona"
    path.write_text((EXAMPLES / f"{name}.neurona").read_text())
    return path


def test_switching_the_language_changes_words_not_the_data(make_window, qtbot, tmp_path):
    w = make_window(copy_example(tmp_path, "digits_cnn"))
    panel = w.training_panel()
    assert panel.data.currentText() == "digits"
    qtbot.waitUntil(lambda: shown(panel.fit_note).startswith("✓"), timeout=60_000)
    english = shown(panel.fit_note)
    for code in ("es", "en", "es"):
        language(w, code)
        assert panel.data.currentText() == "digits"
        assert not panel._reload_timer.isActive() and panel.preview.splits is not None  # nothing reloaded
        assert shown(panel.fit_note).startswith("✓")
    assert shown(panel.fit_note).startswith("✓ Encaja con la red")
    language(w, "en")
    assert shown(panel.fit_note) == english
    assert not w.doc.modified and w.doc.graph.extra["training"]["data"] == "digits"


def test_a_spec_of_ones_own_survives_a_change_of_language(make_window, qtbot, tmp_path):
    w = make_window(copy_example(tmp_path, "xor"))
    panel = w.training_panel()
    panel.set_data_spec("xor?n=40&noise=0.2")
    language(w, "es")
    assert panel.data.currentText() == "xor?n=40&noise=0.2"
    language(w, "en")
    assert panel.data.currentText() == "xor?n=40&noise=0.2"


def test_a_message_follows_the_language_back(make_window, qtbot, tmp_path):
    """Data that does not fit: the explanation is said again in each language chosen."""
    w = make_window(copy_example(tmp_path, "digits_cnn"))
    panel = w.training_panel()
    panel.set_data_spec("xor")
    qtbot.waitUntil(lambda: shown(panel.fit_note).startswith("✗"), timeout=60_000)
    english = shown(panel.fit_note)
    language(w, "es")
    spanish = shown(panel.fit_note)
    assert spanish != english and "los datos tienen 2 características" in spanish
    language(w, "en")
    assert shown(panel.fit_note) == english
    assert panel.data.currentText() == "xor"


def test_choices_are_named_in_the_windows_language_and_stored_as_the_engine_names_them(make_window, qtbot, tmp_path):
    i18n.install("es")
    w = make_window(copy_example(tmp_path, "xor"))
    panel = w.training_panel()
    texts = [panel.schedule.itemText(i) for i in range(panel.schedule.count())]
    assert texts[0] == "ninguna" and "none" not in texts
    assert panel.mode.currentText() == "lote completo"  # the file says full-batch
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())  # what a person's pick sends
    assert w.doc.graph.extra["training"]["optimizer"] == "sgd"
    assert panel.optimizer.currentText() == "SGD" and "estocástico" in panel.optimizer.itemData(0, Qt.ToolTipRole)


def test_another_document_shows_none_of_the_last_ones_results(make_window, qtbot, tmp_path):
    w = make_window(copy_example(tmp_path, "xor"))
    panel = w.training_panel()
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    assert panel.metrics.rowCount() > 0 and panel.confusion.rowCount() == 2 and panel.samples_view.kind
    assert "Finished after" in panel.status.text()
    language(w, "es")
    assert "Terminado" in panel.status.text() and "Finished" not in panel.status.text()
    language(w, "en")

    assert w.open_path(copy_example(tmp_path, "digits_cnn"), confirm=False)
    assert panel.data.currentText() == "digits"
    assert panel.metrics.rowCount() == 0 and panel.confusion.rowCount() == 0
    assert not panel.samples_view.kind
    assert panel.status.text() == "" and panel.last is None
    x, _ = panel.plots.c_batch.getData()
    assert x is None or len(x) == 0
    assert panel.runs.count() == 0  # the XOR runs are XOR's
    assert panel.export_target() is None and not panel.export_button.isEnabled()
    assert not w.act_export_onnx.isEnabled()


def test_a_new_run_does_not_show_the_last_runs_metrics_as_current(make_window, qtbot, tmp_path):
    w = make_window(copy_example(tmp_path, "xor"))
    panel = w.training_panel()
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    assert panel.metrics.rowCount() > 0
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
        assert panel.metrics.rowCount() == 0 and panel.confusion.rowCount() == 0  # while it runs
    assert panel.metrics.rowCount() > 0


def test_opening_another_document_during_a_run_asks_to_stop_it(make_window, qtbot, tmp_path, answer):
    w = make_window(copy_example(tmp_path, "digits_mlp"))
    panel = w.training_panel()
    panel.epochs.setValue(500)
    assert w.start_training()
    qtbot.waitUntil(lambda: panel.process.state == "running", timeout=120_000)
    with answer(QMessageBox.Cancel, "stop-run") as said:
        assert not w.open_path(copy_example(tmp_path, "xor"))
    assert said.seen and panel.process.running and w.doc.graph.name == "digits_mlp"
    with answer("Stop the Run", "stop-run"), answer(QMessageBox.Discard, "unsaved-changes"):
        assert w.open_path(copy_example(tmp_path, "xor"))
    assert not panel.process.running and w.doc.graph.name == "xor"
    assert panel.metrics.rowCount() == 0 and panel.data.currentText() == "xor"


def test_a_changed_setting_is_an_unsaved_change_and_is_saved(make_window, qtbot, tmp_path, answer):
    path = copy_example(tmp_path, "digits_cnn")
    w = make_window(path)
    panel = w.training_panel()
    assert not w.doc.modified
    panel.epochs.setFocus()
    panel.epochs.selectAll()
    qtbot.keyClicks(panel.epochs, "7")
    assert panel.epochs.value() == 7
    assert w.doc.modified and w.isWindowModified()
    assert w.doc.graph.extra["training"]["epochs"] == 7
    panel.set_data_spec("digits?noise=0.1")
    assert w.doc.graph.extra["training"]["data"] == "digits?noise=0.1"

    w.doc.undo_stack.undo()  # the data change
    assert panel.data.currentText() == "digits" and panel.epochs.value() == 7
    w.doc.undo_stack.undo()  # typing 7 was one step
    assert panel.epochs.value() == json.loads(path.read_text())["training"]["epochs"]
    assert not w.doc.modified
    w.doc.undo_stack.redo()
    assert panel.epochs.value() == 7

    with answer(QMessageBox.Save, "unsaved-changes") as said:
        w.close()
    assert said.seen, "quitting with a changed setting must ask"
    assert json.loads(path.read_text())["training"]["epochs"] == 7


def test_filling_the_form_from_a_file_is_not_a_change(make_window, qtbot, tmp_path):
    w = make_window(copy_example(tmp_path, "transformer_classifier"))
    w.training_panel()
    qtbot.waitUntil(lambda: w.training.devices is not None, timeout=60_000)
    assert not w.doc.modified
    assert w.open_path(copy_example(tmp_path, "sine_lstm"), confirm=False)
    assert not w.doc.modified


def test_export_is_offered_for_the_runs_of_a_document_opened_again(make_window, qtbot, tmp_path):
    src = copy_example(tmp_path, "xor")
    run = tmp_path / "runs" / "xor" / "2026-01-01_10-00-00"  # where the window keeps this file's runs
    proc = subprocess.run([sys.executable, "-m", "studio", "train", str(src), "--out", str(run), "--epochs", "3",
                           "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr

    w = make_window(src)  # a relaunch: nothing trained in this window
    assert w.training is None and w.act_export_onnx.isEnabled()
    dialog = w.export_run()  # Ctrl+Shift+E
    assert dialog is not None and str(dialog.run_dir) == str(run)
    dialog.close()
    panel = w.training_panel()
    assert panel.export_button.isEnabled() and panel.export_target() == str(run)
    assert w.act_export_onnx.isEnabled()


def test_export_says_why_when_there_is_no_run(make_window, tmp_path):
    w = make_window(copy_example(tmp_path, "xor"))
    assert not w.act_export_onnx.isEnabled()
    assert w.export_run() is None
    assert "no finished run" in w.statusBar().currentMessage()


def test_a_built_in_data_set_brings_the_settings_that_train_it_well(make_window, qtbot):
    from studio.data.builtin import builtin_datasets

    suggested = {info.name: dict(info.suggested) for info in builtin_datasets()}
    w = make_window()
    assert w.new_document()
    panel = w.training_panel()
    xor = suggested["xor"]
    assert (panel.data.currentText(), panel.epochs.value(), panel.mode.currentData(), panel.optimizer.currentData(),
            float(panel.lr.text())) == ("xor", xor["epochs"], xor["mode"], xor["optimizer"], xor["lr"])
    assert not w.doc.modified  # shown, not yet chosen

    panel.data.setCurrentIndex(panel.data.findData("moons"))  # a person picks moons
    moons = suggested["moons"]
    assert (panel.epochs.value(), panel.mode.currentData(), float(panel.lr.text())) == (
        moons["epochs"], moons["mode"], moons["lr"])
    section = w.doc.graph.extra["training"]
    assert section["data"] == "moons" and section["epochs"] == moons["epochs"] and section["lr"] == moons["lr"]
    assert section.get("momentum", 0.0) == moons["momentum"]  # xor's momentum did not stay behind

    panel.epochs.setValue(77)  # the person's own choice stays through another choice of data
    panel.data.setCurrentIndex(panel.data.findData("circles"))
    circles = suggested["circles"]
    assert panel.epochs.value() == 77 and float(panel.lr.text()) == circles["lr"]
    assert w.doc.graph.extra["training"]["epochs"] == 77
    panel.data.setCurrentIndex(panel.data.findData("xor"))
    assert w.doc.graph.extra["training"].get("momentum") == xor["momentum"]  # what the form does not show too
