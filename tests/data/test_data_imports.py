"""``import studio.data`` stays light: no torch, and scikit-learn and Pillow only once a loader
needs them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str) -> list[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps([m for m in ('torch', 'sklearn', 'PIL') if m in sys.modules]))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_package_loads_no_heavy_libraries():
    assert _loaded_after("import studio.data\nstudio.data.builtin_datasets()\nstudio.data.parse_spec('digits')") == []


def test_generated_data_needs_neither_torch_nor_sklearn():
    assert _loaded_after("from studio.data import load_data\nload_data('spirals'); load_data('tokens')") == []


def test_nothing_in_the_package_imports_torch():
    sources = (ROOT / "studio" / "data").rglob("*.py")
    assert not [p.name for p in sources if "import torch" in p.read_text() or "from torch" in p.read_text()]
