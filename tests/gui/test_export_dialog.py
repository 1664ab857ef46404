"""The export dialog when the export cannot be written: the engine's reason, in the window's
language, and the run folder untouched."""

import pytest

from conftest import EXAMPLES, run_cli
from studio.ui import i18n
from studio.ui.training.export import ExportDialog


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    run = tmp_path_factory.mktemp("xor") / "run"
    r = run_cli("train", str(EXAMPLES / "xor.neurona"), "--out", str(run), "--epochs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    return run


@pytest.fixture
def spanish():
    i18n.install("es")
    yield
    i18n.install("en")


@pytest.mark.parametrize("lang, expected", [("en", "the folder {folder} does not exist — create it first"),
                                            ("es", "la carpeta {folder} no existe — créala primero")])
def test_a_folder_that_is_not_there_is_named_with_what_to_do(qtbot, run_dir, tmp_path, request, lang, expected):
    if lang == "es":
        request.getfixturevalue("spanish")
    dialog = ExportDialog(run_dir)
    qtbot.addWidget(dialog)
    missing = tmp_path / "no-such-folder"
    dialog.path.setText(str(missing / "model.onnx"))
    before = sorted(p.name for p in run_dir.iterdir())
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.proc is None, timeout=120_000)
    assert dialog.result is None and dialog.export_button.isEnabled()
    assert expected.format(folder=missing) in dialog.verdict.text()
    assert dialog.verdict.text().lower().count("export failed") <= 1  # the command's own prefix is not repeated
    assert sorted(p.name for p in run_dir.iterdir()) == before and not missing.exists()
