"""The export dialog puts the input normalisation inside the model unless told not to, and the
exported file says which it did."""

import pytest

from conftest import EXAMPLES, run_cli
from studio.deploy.runner import OnnxRunner
from studio.ui.training.export import ExportDialog


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """The binary classifier on standardised blobs: data with a normalisation."""
    run = tmp_path_factory.mktemp("blobs") / "run"
    r = run_cli("train", str(EXAMPLES / "binary_classifier.neurona"), "--out", str(run), "--epochs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    return run


def test_the_model_normalises_its_input_itself_unless_unticked(qtbot, run_dir, tmp_path):
    dialog = ExportDialog(run_dir)
    qtbot.addWidget(dialog)
    assert dialog.preprocessing.isChecked()
    for ticked, expected in ((True, "inside"), (False, "outside")):
        dialog.preprocessing.setChecked(ticked)
        dialog.path.setText(str(tmp_path / f"{expected}.onnx"))
        with qtbot.waitSignal(dialog.exported, timeout=180_000):
            dialog.export_button.click()
        assert dialog.result["parity"]["passed"]
        runner = OnnxRunner(tmp_path / f"{expected}.onnx")
        assert runner.preprocessing == expected
        assert runner.takes_raw_units == ticked
