"""Files: save and open, the unsaved-changes prompt, a corrupt file, recent files, templates,
exported PyTorch code, and autosave recovery after a real crash."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QMessageBox

from conftest import EXAMPLES, ROOT
from studio.graph import SetParam
from studio.layers import load_graph


def test_save_and_open_round_trip(make_window, tmp_path):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.doc.push(SetParam("dense1", "out_features", 48))
    assert w.isWindowModified() and w.windowTitle().startswith("digits_cnn.neurona[*]")
    target = tmp_path / "mine"
    assert w.save_as(target)
    saved = tmp_path / "mine.neurona"
    assert saved.exists() and not w.isWindowModified()
    assert w.windowTitle().startswith("mine.neurona")
    assert load_graph(saved).same_as(w.doc.graph)
    assert load_graph(saved).extra["training"] == load_graph(EXAMPLES / "digits_cnn.neurona").extra["training"]
    w2 = make_window(saved)
    assert w2.doc.graph.same_as(w.doc.graph)
    assert {k: (i.x(), i.y()) for k, i in w2.scene.nodes.items()} == {k: n.position for k, n in w.doc.graph.nodes.items()}
    assert str(saved.resolve()) == w2.recent_files()[0]


def test_a_corrupt_file_is_reported_and_changes_nothing(make_window, tmp_path, answer):
    w = make_window(EXAMPLES / "xor.neurona")
    w.doc.push(SetParam("h", "out_features", 6))
    before = w.doc.graph.copy()
    bad = tmp_path / "broken.neurona"
    data = json.loads((EXAMPLES / "xor.neurona").read_text())
    data["nodes"][1]["params"]["out_features"] = -3
    bad.write_text(json.dumps(data))
    with answer(QMessageBox.Ok, "open-error") as a:
        assert not w.open_path(bad, confirm=False)
    assert a.seen and "unchanged" in a.seen[0] and "out_features" in a.seen[0] and "$.nodes[1]" in a.seen[0]
    assert w.doc.graph.same_as(before) and w.isWindowModified()
    (tmp_path / "junk.neurona").write_bytes(b"\x00\xffnot json")
    with answer(QMessageBox.Ok, "open-error") as a:
        assert not w.open_path(tmp_path / "junk.neurona", confirm=False)
    assert "UTF-8" in a.seen[0] or "JSON" in a.seen[0]
    assert w.doc.graph.same_as(before)


@pytest.mark.parametrize("button, goes_on", [(QMessageBox.Cancel, False), (QMessageBox.Discard, True)])
def test_unsaved_changes_prompt_on_new_and_open(make_window, answer, button, goes_on):
    w = make_window(EXAMPLES / "xor.neurona")
    w.doc.push(SetParam("h", "out_features", 6))
    with answer(button, "unsaved-changes") as a:
        assert w.new_document() is goes_on
    assert a.seen and "not saved" in a.seen[0]
    assert (len(w.doc.graph) == 0) is goes_on
    if not goes_on:
        with answer(button, "unsaved-changes"):
            assert not w.open_path(EXAMPLES / "digits_mlp.neurona")
        assert w.doc.graph.node("h").params["out_features"] == 6


def test_save_from_the_prompt_saves_then_goes_on(make_window, answer, tmp_path):
    w = make_window(EXAMPLES / "xor.neurona")
    assert w.save_as(tmp_path / "xor.neurona")
    w.doc.push(SetParam("h", "out_features", 7))
    with answer(QMessageBox.Save, "unsaved-changes"):
        assert w.new_from_template(str(EXAMPLES / "digits_mlp.neurona"))
    assert load_graph(tmp_path / "xor.neurona").node("h").params["out_features"] == 7
    assert w.doc.graph.name == "digits_mlp" and w.doc.path is None and not w.isWindowModified()
    assert "(not saved)" in w.windowTitle()


def test_closing_with_changes_asks_and_cancel_keeps_the_window(make_window, answer):
    w = make_window(EXAMPLES / "xor.neurona")
    w.doc.push(SetParam("h", "out_features", 6))
    with answer(QMessageBox.Cancel, "unsaved-changes"):
        assert not w.close()
    assert w.isVisible()
    with answer(QMessageBox.Discard, "unsaved-changes"):
        assert w.close()


def test_templates_and_recent_files_menus(make_window, tmp_path):
    w = make_window()
    names = [a.text() for a in w.menu_templates.actions()]
    assert "digits cnn" in names and "transformer classifier" in names
    w.menu_templates.actions()[names.index("digits cnn")].trigger()
    assert w.doc.graph.name == "digits_cnn" and w.doc.path is None
    w.save_as(tmp_path / "a.neurona")
    w.open_path(EXAMPLES / "xor.neurona")
    w._fill_recent()
    recent = [a.text() for a in w.menu_recent.actions() if a.text()]
    assert recent[:2] == [str((EXAMPLES / "xor.neurona").resolve()), str((tmp_path / "a.neurona").resolve())]


def test_export_pytorch_code_writes_a_module_that_runs(make_window, tmp_path):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    target = tmp_path / "model.py"
    assert w.export_code(target)
    code = target.read_text()
    assert "class DigitsCnn(nn.Module)" in code or "nn.Module" in code
    probe = textwrap.dedent(f"""
        import importlib.util, torch
        spec = importlib.util.spec_from_file_location("m", {str(target)!r})
        m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
        cls = [v for v in vars(m).values() if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == "m"][-1]
        print(tuple(cls()(torch.randn(3, 1, 8, 8)).shape))
    """)
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(3, 10)"


CRASHING_SESSION = """
import os, sys
from PySide6.QtCore import QSettings
from studio.ui.app import application
from studio.ui.mainwindow import MainWindow
from studio.ui.recovery import RecoveryStore
from studio.graph import SetParam
app = application()
w = MainWindow(settings=QSettings(sys.argv[1], QSettings.IniFormat), recovery=RecoveryStore(sys.argv[2]))
w.open_path(sys.argv[3], confirm=False)
w.show()
w.doc.push(SetParam("dense1", "out_features", 99))
w.autosave_timer.setInterval(50)          # the real timer, sooner than 30 s
def check():
    if w.slot.exists:
        os._exit(3)                       # die like a crash: no close, no cleanup
w.autosave_timer.timeout.connect(check)
app.exec()
"""


def test_autosave_survives_a_crash_and_is_offered_back(make_window, tmp_path, recovery, answer):
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_SESSION)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "crash.ini"), str(recovery.folder),
                           str(EXAMPLES / "digits_cnn.neurona")], cwd=ROOT, env=env, timeout=120,
                          capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr
    pending = recovery.pending()
    assert len(pending) == 1 and pending[0].name == "digits_cnn.neurona"

    w = make_window()
    with answer("Restore", "recovery") as a:
        assert w.offer_recovery()
    assert "digits_cnn.neurona" in a.seen[0]
    assert w.doc.graph.node("dense1").params["out_features"] == 99
    assert w.doc.path is not None and w.doc.path.name == "digits_cnn.neurona"  # saving goes back to it
    assert w.isWindowModified()  # recovered work is unsaved work
    assert recovery.pending() == []  # offered once; this window's own autosave now holds it
    w.doc.undo_stack.setClean()
    w.close()
    assert not any(recovery.folder.glob("*.neurona"))  # a clean close leaves nothing behind


def test_a_recovery_can_be_discarded(make_window, recovery, answer):
    slot = recovery.new_slot()
    slot.write((EXAMPLES / "xor.neurona").read_text(), None, "xor")
    meta = json.loads(slot.meta_file.read_text())
    meta["pid"] = 2**22 + 12345  # a process that is not running
    slot.meta_file.write_text(json.dumps(meta))
    w = make_window()
    with answer("Discard", "recovery"):
        assert not w.offer_recovery()
    assert recovery.pending() == [] and not slot.exists
    assert len(w.doc.graph) == 0


def test_autosave_writes_only_when_there_are_new_changes(make_window):
    w = make_window(EXAMPLES / "xor.neurona")
    assert not w.autosave() and not w.slot.exists
    w.doc.push(SetParam("h", "out_features", 5))
    assert w.autosave() and w.slot.exists
    assert not w.autosave()  # nothing new since
    assert load_graph(w.slot.graph_file).node("h").params["out_features"] == 5
    w.doc.undo_stack.undo()  # back to the saved state: the recovery file goes
    assert not w.autosave() and not w.slot.exists
