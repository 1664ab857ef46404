"""Which language the window starts in: the system's by default, the one chosen in View →
Language once it has been chosen (saved in the settings, kept across starts). Each start is
the real ``python -m studio`` with its own settings folder and locale."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from conftest import ROOT


def _settings_file(folder):
    return folder / "config" / "Neurona" / "Neurona Studio.conf"  # QSettings' own place on Linux


def _start(folder, locale: str) -> str:
    """Start the window with the system language ``locale``; the title it first paints."""
    report = folder / "paint.jsonl"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG=locale, LC_ALL=locale, NEURONA_REPORT_FIRST_PAINT=str(report),
               NEURONA_QUIT_AFTER_PAINT="1", XDG_CONFIG_HOME=str(folder / "config"),
               XDG_DATA_HOME=str(folder / "data"))
    proc = subprocess.run([sys.executable, "-m", "studio"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(report.read_text().splitlines()[0])["title"]


SPANISH, ENGLISH = "xor (sin guardar)", "xor (not saved)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the system language comes from LANG on Linux")
@pytest.mark.parametrize("locale, title", [("es_ES.UTF-8", SPANISH), ("es_MX.UTF-8", SPANISH),
                                           ("en_GB.UTF-8", ENGLISH), ("de_DE.UTF-8", ENGLISH)])
def test_with_no_choice_saved_the_window_speaks_the_system_language(tmp_path, locale, title):
    assert _start(tmp_path, locale).startswith(title)


@pytest.fixture
def settings(tmp_path):
    """The settings file a started window reads (the same file the fixture's windows write)."""
    path = _settings_file(tmp_path)
    path.parent.mkdir(parents=True)
    return QSettings(str(path), QSettings.IniFormat)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="QSettings keeps an INI file there")
def test_the_language_chosen_in_the_menu_is_kept_across_starts(make_window, settings, tmp_path):
    w = make_window()
    assert w.language_actions["system"].isChecked()
    w.language_actions["es"].trigger()  # View → Language → Español
    settings.sync()
    assert settings.value("language") == "es"
    assert _start(tmp_path, "en_GB.UTF-8").startswith(SPANISH)  # chosen beats the system's
    assert make_window().language_actions["es"].isChecked()  # and the menu shows it

    w.language_actions["en"].trigger()
    settings.sync()
    assert _start(tmp_path, "es_ES.UTF-8").startswith(ENGLISH)

    w.language_actions["system"].trigger()  # back to following the system
    settings.sync()
    assert _start(tmp_path, "es_ES.UTF-8").startswith(SPANISH)
