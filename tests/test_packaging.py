"""Packaging metadata is well formed and agrees with pyproject (the command name, the version)."""

import configparser
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import studio

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
