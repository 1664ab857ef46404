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


def test_every_opset_the_dialog_offers_exports(qtbot, run_dir, tmp_path):
    """The chooser's ends are what the exporter writes (an opset it offered used to fail)."""
    dialog = ExportDialog(run_dir)
    qtbot.addWidget(dialog)
    for opset in (dialog.opset.minimum(), dialog.opset.maximum()):
        dialog.opset.setValue(opset)
        dialog.path.setText(str(tmp_path / f"xor-{opset}.onnx"))
        with qtbot.waitSignal(dialog.exported, timeout=180_000):
            dialog.export_button.click()
        assert dialog.result["opset"] == opset and dialog.result["parity"]["passed"]
        assert "passed" in dialog.verdict.text()


@pytest.mark.parametrize("lang, expected", [
    ("en", "The export failed: {weights} cannot be read"),
    ("es", "La exportación falló: no se puede leer {weights}"),
])
def test_damaged_weights_are_named_with_what_to_do(qtbot, run_dir, tmp_path, request, lang, expected):
    import shutil

    if lang == "es":
        request.getfixturevalue("spanish")
    run = tmp_path / "run"
    shutil.copytree(run_dir, run)
    for weights in run.glob("*.safetensors"):
        weights.write_bytes(b"not weights")
    dialog = ExportDialog(run)
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.proc is None, timeout=120_000)
    assert dialog.result is None
    text = dialog.verdict.text()
    assert expected.format(weights=run / "best.safetensors") in text
    assert ("train the network again" if lang == "en" else "vuelve a entrenar la red") in text
    assert "internal error" not in text and "export:" not in text and "exportar:" not in text
    assert not (run / "model.onnx").exists()


def test_a_run_whose_data_moved_exports_and_says_what_it_checked_on(qtbot, tmp_path, spanish):
    csv = tmp_path / "points.csv"
    csv.write_text("a,b,label\n" + "".join(f"{i % 2},{i // 2 % 2},{(i + i // 2) % 2}\n" for i in range(40)))
    run = tmp_path / "run"
    r = run_cli("train", str(EXAMPLES / "xor.neurona"), "--data", f"csv:{csv}?target=label", "--out", str(run),
                "--epochs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    csv.unlink()
    dialog = ExportDialog(run)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.exported, timeout=180_000):
        dialog.export_button.click()
    text = dialog.verdict.text()
    assert "superada" in text and dialog.result["parity"]["passed"]
    assert "los datos de la ejecución no se cargan" in text and "muestras de prueba que guardó la ejecución" in text
