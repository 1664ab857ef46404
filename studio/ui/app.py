"""Start the desktop editor: the application object, the language, the main window.

Nothing here imports torch: the window paints first (training and export run in a child
process or load torch on demand).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from . import i18n
from .icons import icon

ORGANISATION = "Neurona"
APPLICATION = "Neurona Studio"
# Set to a file path, the app appends one JSON line when the window first paints (start-up
# benchmarks and tests use it); with NEURONA_QUIT_AFTER_PAINT=1 it then quits.
REPORT_ENV = "NEURONA_REPORT_FIRST_PAINT"
# Set to a file path, the app writes where its palette entries and canvas are on the screen
# (global pixels), so a script driving a real window (xdotool under Xvfb) can aim.
GEOMETRY_ENV = "NEURONA_REPORT_GEOMETRY"


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # The style named at construction: setStyle() would build Python wrappers for QStyle and its
        # enumerations, some milliseconds before the first paint.
        app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    elif app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("studio.neurona.NeuronaStudio")
    app.setWindowIcon(icon("app"))
    if app.platformName() == "offscreen":  # its clipboard crashes the process at exit if it holds data
        app.aboutToQuit.connect(lambda: QApplication.clipboard().clear())
    return app


class _FirstPaint(QObject):
    def __init__(self, window, target: str, quit_after: bool) -> None:
        super().__init__()
        self.window, self.target, self.quit_after, self.done = window, target, quit_after, False

    def eventFilter(self, obj, event) -> bool:
        if not self.done and event.type() == QEvent.Paint:
            self.done = True
            line = json.dumps({"time": time.time(), "torch": "torch" in sys.modules,
                               "title": self.window.windowTitle(), "nodes": len(self.window.doc.graph)})
            with open(self.target, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            if self.quit_after:
                QTimer.singleShot(0, QApplication.instance().quit)
        return False


def run(path: str | None, *, example: str | None = None) -> int:
    app = application()
    settings = QSettings()
    i18n.install(str(settings.value("language", "system")))
    from .mainwindow import MainWindow

    window = MainWindow(settings=settings, defer_panels=True)
    target = os.environ.get(REPORT_ENV)
    if target:
        probe = _FirstPaint(window, target, os.environ.get("NEURONA_QUIT_AFTER_PAINT") == "1")
        window.view.viewport().installEventFilter(probe)
    if os.environ.get(GEOMETRY_ENV):
        window.panels_ready.connect(lambda: QTimer.singleShot(200, lambda: _write_geometry(window, os.environ[GEOMETRY_ENV])))
    if path:
        window.open_path(path, confirm=False)
    elif example:
        window.new_from_template(example)
    window.show()
    if not target:
        QTimer.singleShot(0, window.offer_recovery)
    return app.exec()


def _write_geometry(window, target: str) -> None:
    from .palette import TYPE_ROLE

    tree = window.palette.tree
    entries = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            item = top.child(j)
            r = tree.visualItemRect(item)
            if r.isValid() and tree.viewport().rect().contains(r.center()):
                g = tree.viewport().mapToGlobal(r.center())
                entries[item.data(0, TYPE_ROLE)] = [g.x(), g.y()]
    vp = window.view.viewport()
    origin = vp.mapToGlobal(vp.rect().topLeft())
    nodes = {}
    for k, item in window.scene.nodes.items():
        c = window.view.mapFromScene(item.sceneBoundingRect().center())
        if vp.rect().contains(c):
            g = vp.mapToGlobal(c)
            nodes[k] = [g.x(), g.y()]
    data = {"palette": entries, "canvas": [origin.x(), origin.y(), vp.width(), vp.height()], "nodes": nodes}
    with open(target, "w", encoding="utf-8") as f:
        json.dump(data, f)


def display_problem() -> str | None:
    """Why no window can open here (no display on Linux), or None."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                  or os.environ.get("QT_QPA_PLATFORM")):
        return ("no display to open the window on (DISPLAY is not set); run it in a desktop session, or use the "
                "headless commands (neurona --help)")
    return None


def example_path(name: str) -> Path | None:
    from .mainwindow import examples_dir

    p = examples_dir() / name
    return p if p.exists() else None
