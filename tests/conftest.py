"""Shared test setup. Qt runs offscreen; helpers for running the ``neurona`` command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m studio ARGS`` as a user would, capturing text output."""
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
