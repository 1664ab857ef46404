"""Icons from ``resources/icons`` (SVG), loaded once each."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from ..layers.spec import resources_dir


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
