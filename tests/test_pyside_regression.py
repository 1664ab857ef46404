"""PySide6 6.12.0 on Python 3.11 aborts the interpreter ("none_dealloc: deallocating None")
after many calls to Qt methods returning nothing. pyproject.toml pins around it; this keeps the
pin honest by running the one-line reproduction in a child process."""

import subprocess
import sys

REPRO = "from PySide6.QtCore import QObject; o = QObject(); [o.setObjectName('x') for _ in range(100000)]; print('alive')"


def test_many_void_qt_calls_do_not_abort_the_interpreter():
    proc = subprocess.run([sys.executable, "-c", REPRO], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-500:]}"
    assert proc.stdout.strip() == "alive"


def test_installed_pyside_is_not_the_broken_release_on_311():
    from importlib.metadata import version

    if sys.version_info[:2] == (3, 11):
        assert not version("PySide6-Essentials").startswith("6.12.0")
