"""Shared test setup. Qt runs offscreen; helpers for running the ``neurona`` command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings, recent files and recovery files of test runs stay out of the user's own folders.
_HOME = Path(__file__).resolve().parent / ".." / ".pytest-home"
for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = str((_HOME / _sub).resolve())

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


def random_inputs(graph, analysis, batch: int, seed: int = 0):
    """One random batch per Input node, in the order the compiled forward takes them; token ids
    stay below the vocabulary of the Embeddings they feed."""
    import torch

    from studio.compile.shapes import token_limit

    gen = torch.Generator().manual_seed(seed)
    values = []
    for k in analysis.inputs():
        info = analysis.nodes[k]
        shape = (batch, *info.outputs["out"].shape)
        if info.params["dtype"] == "int64":
            limit = token_limit(graph, analysis, k)
            assert limit, f"int64 Input {k!r} feeds no Embedding"
            values.append(torch.randint(0, limit, shape, generator=gen))
        else:
            values.append(torch.randn(shape, generator=gen))
    return tuple(values)
