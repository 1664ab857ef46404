"""Start-up as a user meets it: ``neurona`` opens the window on the XOR example,
``neurona FILE`` on that file, and the window paints before torch is imported."""

import json
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT


def _launch(tmp_path, *args):
    report = tmp_path / "paint.jsonl"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NEURONA_REPORT_FIRST_PAINT=str(report),
               NEURONA_QUIT_AFTER_PAINT="1", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "studio", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(report.read_text().splitlines()[0])


def test_neurona_alone_opens_the_xor_example_and_paints_before_torch(tmp_path):
    first = _launch(tmp_path)
    assert first["torch"] is False
    assert first["nodes"] == 5 and first["title"].startswith("xor (not saved)")


@pytest.mark.parametrize("name", ["digits_cnn.neurona", "transformer_classifier.neurona"])
def test_neurona_file_opens_that_file(tmp_path, name):
    first = _launch(tmp_path, str(EXAMPLES / name))
    assert first["torch"] is False and first["title"].startswith(name)
