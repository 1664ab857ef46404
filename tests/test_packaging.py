"""Packaging metadata is well formed and agrees with pyproject (the command name, the version);
the wheel ``pip wheel .`` builds, installed on its own, opens the window with every resource."""

import configparser
import functools
import json
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import studio
from studio.layers import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"


def test_desktop_entry_launches_the_console_script():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    entry.read(PKG / "studio.neurona.NeuronaStudio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert section["Exec"].split()[0] in scripts
    assert section["Type"] == "Application" and "application/x-neurona-graph" in section["MimeType"]
    assert "GenericName[es]" in section


def test_appstream_metadata_names_the_release_we_ship():
    root = ET.parse(PKG / "studio.neurona.NeuronaStudio.metainfo.xml").getroot()
    assert root.findtext("id") == "studio.neurona.NeuronaStudio"
    assert root.find("launchable").text == "studio.neurona.NeuronaStudio.desktop"
    versions = [r.get("version") for r in root.iter("release")]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert versions[0] == project["version"] == studio.__version__


def test_mime_type_matches_the_file_extension():
    root = ET.parse(PKG / "neurona-graph.mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    assert root.find("m:mime-type/m:glob", ns).get("pattern") == "*.neurona"


# -- the wheel, installed on its own -------------------------------------------------------------

WINDOW_CHECK = r'''
"""Run by the installed interpreter: open the window in Spanish and report what it found."""
import json, sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import studio
from studio.graph import SetParam
from studio.layers import CATALOGUE
from studio.layers.spec import resources_dir
from studio.ui import i18n
from studio.ui.app import application
from studio.ui.icons import icon
from studio.ui.mainwindow import MainWindow, examples_dir
from studio.ui.recovery import RecoveryStore

def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)

app = application()
i18n.install("es")
w = MainWindow(settings=QSettings(sys.argv[1], QSettings.IniFormat), recovery=RecoveryStore(sys.argv[2]))
w.show()
QApplication.processEvents()
templates = [a.data() for a in w.menu_templates.actions()]
w.new_from_template(str(examples_dir() / "digits_cnn.neurona"))
w.doc.push(SetParam("x", "shape", [64]))
problems = w.summary.problems_model
schema = json.loads((resources_dir() / "schema" / "neurona-graph.schema.json").read_text(encoding="utf-8"))
print(json.dumps({
    "studio": studio.__file__,
    "resources": files(resources_dir()),
    "examples": files(examples_dir()),
    "templates": [Path(t).name for t in templates if Path(t).is_file()],
    "menu": w.menuBar().actions()[0].text(),
    "teaching": {t: [spec.teaching("en")["summary"], spec.teaching("es")["summary"]] for t, spec in CATALOGUE.items()},
    "blank_icons": [p.stem for p in (resources_dir() / "icons").glob("*.svg") if icon(p.stem).pixmap(16, 16).isNull()],
    "icons": len(list((resources_dir() / "icons").glob("*.svg"))),
    "problems": [problems.data(problems.index(r, 1)) for r in range(problems.rowCount())],
    "schema": sorted(schema.get("properties", {})),
}))
w.doc.undo_stack.setClean()
w.close()
'''


def _shipped(folder: Path, skip=()) -> list[str]:
    """The files of a repository folder that an installation must hold."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not any(p.match(s) for s in skip))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel ``pip wheel .`` builds, installed into a fresh virtual environment that holds
    nothing else of ours: the dependencies (torch, PySide6 …) come from this interpreter's
    site-packages, listed after the environment's own, and the editable install of the
    checkout is not among them (a .pth file in a directory added by another .pth file is not
    read). Returns (environment's python, its bin folder, a work folder outside the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy: an old build/ in the checkout cannot leak into the wheel
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "setup.cfg", "MANIFEST.in", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    for name in ("studio", "resources", "examples"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=300)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                 str(tmp / "dist"), str(src)])
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("neurona_studio-*.whl")

    env = tmp / "env"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(env)])
    assert made.returncode == 0, made.stderr
    bindir = env / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    done = run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)])
    assert done.returncode == 0, done.stdout + done.stderr
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    ours = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]
    (Path(purelib) / "_dependencies.pth").write_text("\n".join(ours) + "\n")
    work = tmp / "work"
    work.mkdir()
    return python, bindir, work, env


def _env(work: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"),
               XDG_CACHE_HOME=str(work / "cache"), **extra)
    return env


@pytest.mark.slow
def test_the_installed_wheel_opens_the_window_with_every_resource(installed):
    python, bindir, work, env = installed
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=300, cwd=work, env=_env(work))

    script = work / "window_check.py"
    script.write_text(WINDOW_CHECK)
    done = run([str(python), str(script), str(work / "settings.ini"), str(work / "recovery")])
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert Path(found["studio"]).is_relative_to(env), found["studio"]  # the wheel's, not the checkout's
    assert found["resources"] == _shipped(ROOT / "resources", skip=("translations/*.ts", "translations/*.md"))
    assert found["examples"] == _shipped(ROOT / "examples")
    assert found["templates"] == sorted(p.name for p in (ROOT / "examples").glob("*.neurona"))
    assert found["menu"] == "&Archivo"  # the Spanish translation loaded
    for kind, (en, es) in found["teaching"].items():
        assert en and es and en != es, kind  # English and Spanish teaching texts
    assert found["icons"] >= 30 and found["blank_icons"] == []
    assert any(p.startswith("Conv2d espera canales") for p in found["problems"]), found["problems"]  # engine messages
    assert {"nodes", "edges"} <= set(found["schema"])


@pytest.mark.slow
def test_the_installed_command_opens_the_window_and_lists_the_layers(installed):
    python, bindir, work, env = installed
    neurona = str(bindir / ("neurona.exe" if os.name == "nt" else "neurona"))
    report = work / "paint.jsonl"
    shown = subprocess.run([neurona], capture_output=True, text=True, timeout=300, cwd=work,
                           env=_env(work, NEURONA_REPORT_FIRST_PAINT=str(report), NEURONA_QUIT_AFTER_PAINT="1"))
    assert shown.returncode == 0, shown.stderr
    first = json.loads(report.read_text().splitlines()[0])
    assert first["nodes"] == 5 and first["title"].startswith("xor") and first["torch"] is False

    layers = subprocess.run([neurona, "layers", "--json"], capture_output=True, text=True, timeout=300, cwd=work,
                            env=_env(work))
    assert layers.returncode == 0, layers.stderr
    assert {layer["type"] for layer in json.loads(layers.stdout)} == set(CATALOGUE)
