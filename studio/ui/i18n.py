"""The window's language: Qt translators for our strings and Qt's own dialogs, and the
catalogue's texts (teaching texts, parameter help) and the bundled examples' descriptions in the
same language.

English is the source language; Spanish ships as ``resources/translations/neurona_es.qm``
(built from the ``.ts`` with ``pyside6-lrelease``; see ``resources/translations/README.md``).
The choice is "system" (the locale), "en" or "es", saved in the settings.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..layers import LayerSpec
from ..layers.spec import resources_dir

LANGUAGES = {"en": "English", "es": "Español"}
CATEGORY_NAMES = {
    "core": QT_TRANSLATE_NOOP("Catalogue", "Core"),
    "activation": QT_TRANSLATE_NOOP("Catalogue", "Activations"),
    "convolution": QT_TRANSLATE_NOOP("Catalogue", "Convolution and pooling"),
    "normalization": QT_TRANSLATE_NOOP("Catalogue", "Normalization"),
    "sequence": QT_TRANSLATE_NOOP("Catalogue", "Sequences (RNN)"),
    "attention": QT_TRANSLATE_NOOP("Catalogue", "Attention and Transformers"),
    "merge": QT_TRANSLATE_NOOP("Catalogue", "Merge"),
}

_state = {"lang": "en", "translators": []}


def translations_dir() -> Path:
    return resources_dir() / "translations"


def system_language() -> str:
    name = QLocale.system().name().lower()
    return "es" if name.startswith("es") else "en"


def resolve(choice: str | None) -> str:
    return choice if choice in LANGUAGES else system_language()


def current() -> str:
    return _state["lang"]


def install(choice: str | None) -> str:
    """Switch the application to ``choice`` ("system", "en" or "es"); returns the language used.
    Installing or removing a translator sends every widget a LanguageChange event, so open
    windows retranslate."""
    app = QCoreApplication.instance()
    lang = resolve(choice)
    _state["lang"] = lang  # before the events: widgets read it as they retranslate
    for t in _state["translators"]:
        app.removeTranslator(t)
    _state["translators"] = []
    ours = QTranslator(app)  # English has one too: the plural forms ("1 error", "2 errors")
    if ours.load(str(translations_dir() / f"neurona_{lang}.qm")):
        app.installTranslator(ours)
        _state["translators"].append(ours)
    if lang != "en":
        qt = QTranslator(app)
        if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(qt)
            _state["translators"].append(qt)
    return lang


def category_name(category: str) -> str:
    return QCoreApplication.translate("Catalogue", CATEGORY_NAMES.get(category, category))


def teaching(spec: LayerSpec) -> dict[str, str]:
    return spec.teaching(current())


def graph_description(description: str) -> str:
    """A graph's description in the window's language. A bundled example's own description has
    its translation in ``resources/teaching/examples-<lang>.json``; any other is shown as written."""
    if current() == "en" or not description:
        return description
    return _example_descriptions(current()).get(description, description)


@lru_cache(maxsize=None)
def _example_descriptions(lang: str) -> dict[str, str]:
    """English description → the ``lang`` one, for every bundled example."""
    try:
        data = json.loads((resources_dir() / "teaching" / f"examples-{lang}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {e["en"]: e[lang] for e in data.values() if isinstance(e, dict) and e.get("en") and e.get(lang)}


def param_help(spec: LayerSpec, name: str) -> str:
    """A parameter's help in the window's language (Spanish from the teaching file)."""
    english = spec.param(name).help
    if current() == "en":
        return english
    from ..layers.spec import _teaching

    entry = _teaching(current()).get(spec.type) or {}
    return (entry.get("params") or {}).get(name) or english


def number(n: int) -> str:
    """A count as the window's language writes it: 13,738 in English, 13.738 in Spanish."""
    return _locale().toString(int(n))


def _locale(grouped: bool = True) -> QLocale:
    """The window's language's number format; ``grouped=False``: 1235, not 1,235 (a measured value,
    where a group separator reads as a decimal comma)."""
    locale = QLocale(QLocale.Spanish if current() == "es" else QLocale.English)
    if not grouped:
        locale.setNumberOptions(QLocale.OmitGroupSeparator)
    return locale


def percent(share: float, digits: int = 1) -> str:
    """A share as the window's language writes it: 94.8% in English, 94,8 % in Spanish."""
    return _locale().toString(float(share) * 100, "f", digits) + ("\u00a0%" if current() == "es" else "%")


def fixed(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals: 0.125 in English, 0,125 in Spanish."""
    return _locale(grouped=False).toString(float(value), "f", digits)


def decimal(value: float, significant: int = 4) -> str:
    """A measured value to ``significant`` digits: 0.2442 in English, 0,2442 in Spanish."""
    return _locale(grouped=False).toString(float(value), "g", significant)


def date_time(seconds: float) -> str:
    from PySide6.QtCore import QDateTime

    return _locale().toString(QDateTime.fromSecsSinceEpoch(int(seconds)), QLocale.ShortFormat)


def problem_text(problem) -> str:
    """A problem's message and fix in the window's language."""
    from ..compile.translate import translate_problem

    return translate_problem(problem, current())


def text(message: str) -> str:
    """A message from the core (a refused wire, a bad value, a bad name) in the window's language."""
    from ..compile.translate import translate

    return translate(message, current())
