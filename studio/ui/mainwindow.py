"""The main window: canvas in the centre, palette on the left, inspector on the right, summary
and problems at the bottom; menus, toolbar and status bar; files, recent files, templates,
autosave and crash recovery, clipboard, language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QMainWindow, QMenu, QToolBar, QWidget,
)

from .. import __version__
from ..graph import AddNode, Connect, Disconnect, Edge, Graph, GraphFileError, MoveNode, Node, RemoveNode
from ..graph import fragments
from ..graph.edits import Macro
from ..graph.layout import COLUMN, layered_layout
from ..layers import CATALOGUE, dump_graph, load_graph, read_graph, save_graph
from ..layers.spec import resources_dir
from . import i18n
from .canvas import style
from .canvas.scene import GraphScene
from .canvas.view import FIT_MARGIN, GraphView
from .document import Document
from .icons import icon
from .markup import escape
from .recovery import RecoveryStore

AUTOSAVE_MS = 30_000
MAX_RECENT = 10

# Readable ids for new nodes, in the style of the examples (dense1, conv1, pool1 …).
ID_PREFIX = {
    "Input": "x", "Output": "y", "Linear": "dense", "Conv1d": "conv", "Conv2d": "conv", "ConvTranspose2d": "deconv",
    "MaxPool1d": "pool", "MaxPool2d": "pool", "AvgPool2d": "pool", "AdaptiveAvgPool2d": "gap", "BatchNorm1d": "bn",
    "BatchNorm2d": "bn", "LayerNorm": "norm", "Dropout": "drop", "Flatten": "flat", "Embedding": "embed",
    "MultiheadAttention": "attn", "TransformerEncoderLayer": "encoder", "PositionalEncoding": "pos",
}


def examples_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "examples", here.parent / "examples"):
        if candidate.is_dir():
            return candidate
    return resources_dir().parent / "examples"


class MainWindow(QMainWindow):
    file_opened = Signal(str)
    file_saved = Signal(str)

    panels_ready = Signal()

    def __init__(self, *, settings: QSettings | None = None, recovery: RecoveryStore | None = None,
                 defer_panels: bool = False) -> None:
        """``defer_panels``: build the palette, inspector and summary right after the first paint,
        so the canvas with the graph is on screen sooner (how the app starts)."""
        super().__init__()
        self.settings = settings or QSettings()
        self.recovery = recovery or RecoveryStore()
        self.slot = self.recovery.new_slot()
        self._autosaved_at = -1  # undo index of the last autosave
        self._paste_count = 0
        self.setObjectName("MainWindow")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(False)
        self.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowTabbedDocks)

        self.doc = Document(parent=self)
        self.scene = GraphScene(self.doc, self)
        self.view = GraphView(self.scene)
        self.view.setObjectName("canvas")
        self.setCentralWidget(self.view)
        self.palette = self.inspector = self.summary = None
        self.palette_dock = self._dock("palette", Qt.LeftDockWidgetArea)
        self.inspector_dock = self._dock("inspector", Qt.RightDockWidgetArea)
        self.summary_dock = self._dock("summary", Qt.BottomDockWidgetArea)
        self.training_dock = self._dock("training", Qt.BottomDockWidgetArea)
        self.tabifyDockWidget(self.summary_dock, self.training_dock)
        self.summary_dock.raise_()
        self.training = None  # the training panel, built the first time it is shown (it loads NumPy and pyqtgraph)
        self._training_room_made = False
        self.training_dock.visibilityChanged.connect(self._training_shown)
        self.inference_dock = self._dock("inference", Qt.BottomDockWidgetArea)
        self.tabifyDockWidget(self.training_dock, self.inference_dock)
        self.summary_dock.raise_()
        self.inference = None
        self.inference_dock.visibilityChanged.connect(lambda shown: shown and self.inference_panel())

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status()

        self.scene.selectionChanged.connect(self._selection_changed)
        self.view.layer_dropped.connect(self.add_layer_at)
        self.view.files_dropped.connect(lambda paths: paths and self.open_path(paths[0]))
        self.view.wire_refused.connect(self._wire_refused)
        self.view.zoom_changed.connect(self._zoom_changed)
        self.view.menu_requested.connect(self._canvas_menu)
        self.doc.analyzed.connect(self._update_status)
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.doc.path_changed.connect(self._update_title)
        self.doc.path_changed.connect(self._runs_on_disk)
        self.doc.info_changed.connect(self._update_title)
        self.doc.reset.connect(self._update_title)
        self.defer_panels = defer_panels
        if defer_panels:
            self._first_paint = _OnFirstPaint(self.view.viewport(), lambda: QTimer.singleShot(0, self._make_panels))
        else:
            self._make_panels()

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

        self.resize(1280, 800)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [220, 340], Qt.Horizontal)
        self.resizeDocks([self.summary_dock], [190], Qt.Vertical)
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.retranslate()
        self._update_status()

    # -- construction ---------------------------------------------------------------------------
    def _dock(self, name: str, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"{name}-dock")
        dock.setWidget(QWidget())
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, name: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:
        a = QAction(self)
        a.setObjectName(name)
        if icon_name:
            a.setIcon(icon(icon_name))
        if shortcut is not None:
            if isinstance(shortcut, list):
                a.setShortcuts(shortcut)
            else:
                a.setShortcut(shortcut)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _make_panels(self) -> None:
        """The palette, inspector and summary (imported here: they cost start-up time)."""
        if self.palette is not None:
            return
        from .inspector import Inspector
        from .palette import Palette
        from .summary import SummaryPanel

        self.palette = Palette()
        self.inspector = Inspector(self.doc)
        self.summary = SummaryPanel(self.doc)
        self.palette_dock.setWidget(self.palette)
        self.inspector_dock.setWidget(self.inspector)
        self.summary_dock.setWidget(self.summary)
        self.palette.layer_activated.connect(self.add_after_selection)
        self.summary.node_clicked.connect(self.focus_node)
        self.inspector.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.inspector.show_nodes(self.scene.selected_node_ids())
        self.panels_ready.emit()
        if self.defer_panels:
            import threading

            threading.Thread(target=_warm_imports, name="warm-imports", daemon=True).start()

    def training_panel(self):
        if self.training is None:
            from .training.panel import TrainingPanel

            self.training = TrainingPanel(self.doc)
            self.training_dock.setWidget(self.training)
            self.training.process.state_changed.connect(self._training_state)
            self.training.export_requested.connect(self.export_run)
            self.training.export_available.connect(lambda _: self._training_state(self.training.process.state))
            self.training.training_finished.connect(lambda _: self._training_state("idle"))
            self._training_state("idle")
        return self.training

    def _training_shown(self, shown: bool) -> None:
        if not shown:
            return
        self.training_panel()
        if not self._training_room_made:
            self._training_room_made = True
            QTimer.singleShot(0, lambda: self._make_room(self.training_dock, self.training.sizeHint().height()))

    def _make_room(self, dock: QDockWidget, wanted: int) -> None:
        """The first time a panel is shown, it gets the height it asks for, up to 3/5 of the window,
        when its dock is shorter; a dock the user made taller stays as it is."""
        target = min(wanted, int(self.height() * 0.6))
        if dock.isVisible() and dock.height() < target:
            self.resizeDocks([dock], [target], Qt.Vertical)

    def inference_panel(self):
        if self.inference is None:
            from .training.inference import InferencePanel

            self.inference = InferencePanel()
            self.inference.set_data_spec(str((self.doc.graph.extra.get("training") or {}).get("data") or ""))
            self.inference_dock.setWidget(self.inference)
        return self.inference

    def open_onnx(self, path: str | None = None) -> bool:
        panel = self.inference_panel()
        self.inference_dock.show()
        self.inference_dock.raise_()
        if path is None:
            panel._open_dialog()
            return panel.runner is not None
        return panel.open_model(path)

    def export_run(self, run_dir: str | None = None):
        """The export dialog for a run folder (the last run by default); returns the dialog."""
        from .training.export import ExportDialog

        if run_dir is None:
            run_dir = self.training_panel().export_target()
            if run_dir is None:
                self.statusBar().showMessage(self.tr("There is no finished run to export yet: train the network "
                                                     "first (F5)."), 8000)
                return None
        dialog = ExportDialog(run_dir, self)
        dialog.code_button.clicked.connect(lambda: self.export_code())
        dialog.exported.connect(self.open_onnx)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def start_training(self) -> bool:
        panel = self.training_panel()
        self.training_dock.show()
        self.training_dock.raise_()
        return panel.start()

    def _training_state(self, state: str) -> None:
        self.act_train.setEnabled(state == "idle")
        self.act_pause.setEnabled(state in ("running", "paused"))
        self.act_stop.setEnabled(state in ("starting", "running", "paused"))
        self.act_export_onnx.setEnabled(state == "idle" and self.training is not None
                                        and self.training.export_target(list_runs=False) is not None)

    def _runs_on_disk(self) -> None:
        """Before the training panel is built (it is, the first time it is shown), Export… is
        offered when the document has a finished run on disk: a document opened again."""
        if self.training is None:
            from .training.folders import has_finished_run, runs_folder

            self.act_export_onnx.setEnabled(has_finished_run(runs_folder(self.doc)))

    def _make_actions(self) -> None:
        K = QKeySequence
        self.act_new = self._action("new", self.new_document, K(K.New), "new")
        self.act_open = self._action("open", lambda: self.open_dialog(), K(K.Open), "open")
        self.act_save = self._action("save", lambda: self.save(), K(K.Save), "save")
        self.act_save_as = self._action("save-as", lambda: self.save_as(), K(K.SaveAs), "save-as")
        self.act_export_code = self._action("export-code", lambda: self.export_code(), K("Ctrl+E"), "code")
        self.act_quit = self._action("quit", self.close, K(K.Quit))
        stack = self.doc.undo_stack
        self.act_undo = self._action("undo", stack.undo, K(K.Undo), "undo")
        # Both keys on every platform (K(K.Redo) is only the first of the platform's, Ctrl+Y on Linux)
        self.act_redo = self._action("redo", stack.redo, [K("Ctrl+Shift+Z"), K("Ctrl+Y")], "redo")
        for sig in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged):
            sig.connect(self._update_undo)
        self.act_cut = self._action("cut", self.cut, K(K.Cut), "cut")
        self.act_copy = self._action("copy", self.copy, K(K.Copy), "copy")
        self.act_paste = self._action("paste", self.paste, K(K.Paste), "paste")
        self.act_duplicate = self._action("duplicate", self.duplicate, K("Ctrl+D"), "duplicate")
        self.act_delete = self._action("delete", self.delete_selection, [K(K.Delete), K(Qt.Key_Backspace)], "delete")
        self.act_select_all = self._action("select-all", self.select_all, K(K.SelectAll), "select-all")
        self.act_zoom_in = self._action("zoom-in", self.view.zoom_in, [K(K.ZoomIn), K("Ctrl+=")], "zoom-in")
        self.act_zoom_out = self._action("zoom-out", self.view.zoom_out, K(K.ZoomOut), "zoom-out")
        self.act_fit = self._action("fit", self.view.fit_all, K("Ctrl+0"), "fit")
        self.act_arrange = self._action("arrange", self.auto_arrange, K("Ctrl+L"), "arrange")
        self.act_about = self._action("about", self.about, None, "help")
        self.act_train = self._action("train", self.start_training, K("F5"), "train")
        self.act_pause = self._action("pause", lambda: self.training_panel().toggle_pause(), K("F6"))
        self.act_stop = self._action("stop", lambda: self.training_panel().stop(), K("Shift+F5"))
        self.act_pause.setEnabled(False)
        self.act_stop.setEnabled(False)
        self.act_export_onnx = self._action("export-onnx", lambda: self.export_run(), K("Ctrl+Shift+E"), "code")
        self.act_export_onnx.setEnabled(False)
        self.act_open_onnx = self._action("open-onnx", lambda: self.open_onnx(), None, "open")
        # Clipboard and delete keys act on the canvas; typing in the inspector keeps its own keys.
        for a in (self.act_cut, self.act_copy, self.act_paste, self.act_delete, self.act_duplicate):
            a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.removeAction(a)
            self.view.addAction(a)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in ("system", *i18n.LANGUAGES):
            a = QAction(self)
            a.setCheckable(True)
            a.setObjectName(f"language-{code}")
            a.triggered.connect(lambda _=False, c=code: self.set_language(c))
            self.language_group.addAction(a)
            self.language_actions[code] = a
        current = str(self.settings.value("language", "system"))
        self.language_actions.get(current, self.language_actions["system"]).setChecked(True)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        self.menu_templates = QMenu(self)
        self.menu_templates.setIcon(icon("template"))
        self.menu_recent = QMenu(self)
        self.menu_recent.setIcon(icon("recent"))
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        self.menu_file.addAction(self.act_new)
        self.menu_file.addMenu(self.menu_templates)
        self.menu_file.addAction(self.act_open)
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_save)
        self.menu_file.addAction(self.act_save_as)
        self.menu_file.addAction(self.act_export_code)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self._fill_templates()
        self.menu_edit = mb.addMenu("")
        for a in (self.act_undo, self.act_redo, None, self.act_cut, self.act_copy, self.act_paste, self.act_duplicate,
                  self.act_delete, None, self.act_select_all):
            self.menu_edit.addSeparator() if a is None else self.menu_edit.addAction(a)
        self.menu_view = mb.addMenu("")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_fit, None, self.act_arrange, None):
            self.menu_view.addSeparator() if a is None else self.menu_view.addAction(a)
        for dock in (self.palette_dock, self.inspector_dock, self.summary_dock, self.training_dock, self.inference_dock):
            self.menu_view.addAction(dock.toggleViewAction())
        self.menu_view.addSeparator()
        self.menu_language = self.menu_view.addMenu(icon("language"), "")
        for a in self.language_actions.values():
            self.menu_language.addAction(a)
        self.menu_train = mb.addMenu("")
        for a in (self.act_train, self.act_pause, self.act_stop, None, self.act_export_onnx, self.act_open_onnx):
            self.menu_train.addSeparator() if a is None else self.menu_train.addAction(a)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_about)

    def _make_toolbar(self) -> None:
        tb = QToolBar(self)
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        for a in (self.act_new, self.act_open, self.act_save, None, self.act_undo, self.act_redo, None,
                  self.act_duplicate, self.act_delete, None, self.act_zoom_out, self.act_zoom_in, self.act_fit,
                  self.act_arrange, None, self.act_export_code, None, self.act_train):
            tb.addSeparator() if a is None else tb.addAction(a)
        self.toolbar = tb
        self.addToolBar(tb)

    def _make_status(self) -> None:
        from .statusbar import MessageBar

        sb = MessageBar(self)
        self.setStatusBar(sb)
        self.status_valid = QLabel()
        self.status_valid.setObjectName("status-valid")
        self.status_params = QLabel()
        self.status_params.setObjectName("status-params")
        self.status_zoom = QLabel()
        for w in (self.status_valid, self.status_params, self.status_zoom):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    def _fill_templates(self) -> None:
        self.menu_templates.clear()
        for path in sorted(examples_dir().glob("*.neurona")):
            a = self.menu_templates.addAction(path.stem.replace("_", " "))
            a.setData(str(path))
            a.triggered.connect(lambda _=False, p=str(path): self.new_from_template(p))

    def _fill_recent(self) -> None:
        self.menu_recent.clear()
        files = self.recent_files()
        for f in files:
            a = self.menu_recent.addAction(f)
            a.triggered.connect(lambda _=False, p=f: self.open_path(p))
        if not files:
            a = self.menu_recent.addAction(self.tr("No recent files"))
            a.setEnabled(False)
        else:
            self.menu_recent.addSeparator()
            self.menu_recent.addAction(self.tr("Clear the list"), self._clear_recent)

    # -- language ---------------------------------------------------------------------------------
    def set_language(self, choice: str) -> None:
        self.settings.setValue("language", choice)
        self.language_actions[choice].setChecked(True)
        i18n.install(choice)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.doc.retranslate()
        texts = {
            self.act_new: (self.tr("&New"), self.tr("Start an empty network")),
            self.act_open: (self.tr("&Open…"), self.tr("Open a .neurona graph file")),
            self.act_save: (self.tr("&Save"), self.tr("Save the network")),
            self.act_save_as: (self.tr("Save &As…"), self.tr("Save the network under a new name")),
            self.act_export_code: (self.tr("&Export PyTorch Code…"), self.tr("Write the network as a standalone PyTorch module")),
            self.act_quit: (self.tr("&Quit"), ""),
            self.act_cut: (self.tr("Cu&t"), ""),
            self.act_copy: (self.tr("&Copy"), ""),
            self.act_paste: (self.tr("&Paste"), ""),
            self.act_duplicate: (self.tr("Dupl&icate"), self.tr("Duplicate the selected layers")),
            self.act_delete: (self.tr("&Delete"), self.tr("Delete the selected layers and wires")),
            self.act_select_all: (self.tr("Select &All"), ""),
            self.act_zoom_in: (self.tr("Zoom &In"), ""),
            self.act_zoom_out: (self.tr("Zoom &Out"), ""),
            self.act_fit: (self.tr("&Fit to Window"), self.tr("Show the whole network")),
            self.act_arrange: (self.tr("Auto-&arrange"), self.tr("Lay the network out left to right")),
            self.act_about: (self.tr("&About Neurona Studio"), ""),
            self.act_train: (self.tr("&Start Training"), self.tr("Train the network on the chosen data")),
            self.act_pause: (self.tr("&Pause or Resume"), ""),
            self.act_stop: (self.tr("S&top Training"), ""),
            self.act_export_onnx: (self.tr("&Export the Last Run to ONNX…"), self.tr("Export, with a parity check against PyTorch")),
            self.act_open_onnx: (self.tr("&Open an ONNX Model…"), self.tr("Run any ONNX model with onnxruntime")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        self._update_undo()
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_train.setTitle(self.tr("&Train"))
        self.menu_templates.setTitle(self.tr("New from &Template"))
        self.menu_recent.setTitle(self.tr("Open &Recent"))
        self.menu_language.setTitle(self.tr("&Language"))
        self.language_actions["system"].setText(self.tr("System default"))
        for code, name in i18n.LANGUAGES.items():
            self.language_actions[code].setText(name)
        self.palette_dock.setWindowTitle(self.tr("Layers"))
        self.inspector_dock.setWindowTitle(self.tr("Inspector"))
        self.summary_dock.setWindowTitle(self.tr("Summary and problems"))
        self.training_dock.setWindowTitle(self.tr("Training"))
        self.inference_dock.setWindowTitle(self.tr("Inference"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self._update_title()
        self._update_status()
        self._zoom_changed(self.view.zoom())

    def _update_undo(self, *_) -> None:
        stack = self.doc.undo_stack
        self.act_undo.setText(self.tr("&Undo {what}").format(what=stack.undoText()) if stack.canUndo() else self.tr("&Undo"))
        self.act_redo.setText(self.tr("&Redo {what}").format(what=stack.redoText()) if stack.canRedo() else self.tr("&Redo"))
        self.act_undo.setEnabled(stack.canUndo())
        self.act_redo.setEnabled(stack.canRedo())

    # -- status -----------------------------------------------------------------------------------
    def _update_title(self, *_) -> None:
        name = self.doc.path.name if self.doc.path else self.tr("{name} (not saved)").format(name=self.doc.graph.name)
        self.setWindowTitle(f"{name}[*] — Neurona Studio")
        self.setWindowModified(self.doc.modified)

    def _update_status(self) -> None:
        a = self.doc.analysis
        errors, warnings = len(a.errors), len(a.warnings)
        if errors:
            text = "✗ " + self.tr("%n error(s)", "", errors)
            colour = "#c03535"
        else:
            text = "✓ " + self.tr("Valid")
            colour = "#2f8a57"
        if warnings:
            text += " · " + self.tr("%n warning(s)", "", warnings)
        self.status_valid.setText(f"<span style='color:{colour}'>{escape(text)}</span>")
        self.status_params.setText(self.tr("Parameters: {n}").format(n=i18n.number(a.total_params)))

    def _zoom_changed(self, z: float) -> None:
        self.status_zoom.setText(f"{z * 100:.0f} %")

    def _wire_refused(self, reason: str) -> None:
        """The canvas shows the whole reason where the wire was dropped; the status bar repeats it
        whole (it wraps a long message beside its counters)."""
        self.statusBar().showMessage(self.tr("Cannot wire: {reason}").format(reason=reason), 12000)

    def _selection_changed(self) -> None:
        if self.inspector is not None:
            self.inspector.show_nodes(self.scene.selected_node_ids())
        has = bool(self.scene.selectedItems())
        for a in (self.act_cut, self.act_copy, self.act_duplicate, self.act_delete):
            a.setEnabled(has)

    def focus_node(self, node_id: str) -> None:
        self.scene.select_nodes([node_id])
        self.view.center_on_node(node_id)

    def canvas_menu(self, scene_pos: QPointF) -> QMenu:
        """The right-click menu: what can be done to the selection, or (on empty canvas) paste
        and add a layer right there."""
        menu = QMenu(self)
        if self.scene.selectedItems():
            for a in (self.act_cut, self.act_copy, self.act_duplicate, self.act_delete):
                menu.addAction(a)
            if len(self.scene.selected_node_ids()) == 1:
                menu.addSeparator()
                menu.addAction(self.tr("Rename…"), self._focus_name)
            return menu
        add = menu.addMenu(self.tr("Add Layer Here"))
        from ..layers import by_category

        for category, specs in by_category().items():
            if not specs:
                continue
            sub = add.addMenu(icon(f"category-{category}"), i18n.category_name(category))
            for spec in specs:
                sub.addAction(spec.label, lambda t=spec.type: self.add_layer_at(t, scene_pos))
        menu.addSeparator()
        for a in (self.act_paste, self.act_select_all, None, self.act_fit, self.act_arrange):
            menu.addSeparator() if a is None else menu.addAction(a)
        return menu

    def _canvas_menu(self, scene_pos: QPointF, global_pos) -> None:
        self.canvas_menu(scene_pos).exec(global_pos)

    def _focus_name(self) -> None:
        if self.inspector is not None and self.inspector.node_id is not None:
            self.inspector_dock.show()
            self.inspector.id_edit.setFocus()
            self.inspector.id_edit.selectAll()

    # -- adding layers ----------------------------------------------------------------------------
    def _new_node(self, type_name: str, position, ignore=()) -> Node:
        """A node of ``type_name`` at the free place nearest ``position`` (on no other node and no
        wire's label; ``ignore``: nodes about to move away)."""
        prefix = ID_PREFIX.get(type_name, type_name.lower())
        node_id = self.doc.graph.new_id(prefix)
        x, y = round(position[0] / 10) * 10.0, round(position[1] / 10) * 10.0
        return Node(node_id, type_name, {}, self.scene.free_spot(x, y, type_name, ignore))

    def _added(self, node: Node) -> str:
        """A new node: selected and scrolled into view."""
        self.scene.select_nodes([node.id])
        self.view.reveal_node(node.id)
        return node.id

    def add_layer_at(self, type_name: str, scene_pos: QPointF) -> str | None:
        """A layer dropped on the canvas: placed where it was dropped (or the nearest free place), selected."""
        if type_name not in CATALOGUE:
            return None
        node = self._new_node(type_name, (scene_pos.x() - style.NODE_WIDTH / 2, scene_pos.y() - style.HEADER))
        self.doc.push(AddNode(node))
        self.view.setFocus()
        return self._added(node)

    def add_after_selection(self, type_name: str) -> str | None:
        """Double-click or Enter in the palette: the new layer goes after the selected node, wired
        in (what the selected node fed now comes from the new layer, so it slots into a chain);
        with nothing selected it goes after the last node."""
        spec = CATALOGUE.get(type_name)
        if spec is None:
            return None
        g = self.doc.graph
        chosen = self.scene.selected_node_ids()
        anchor = chosen[-1] if chosen else None
        if anchor is None and len(g):
            anchor = self.doc.analysis.order[-1] if self.doc.analysis.order else list(g.nodes)[-1]
            a_spec = CATALOGUE.get(g.node(anchor).type)
            if a_spec is None or not a_spec.outputs:  # after an Output: place, don't wire
                pos = g.node(anchor).position or (0.0, 0.0)
                node = self._new_node(type_name, (pos[0], pos[1] + 160))
                self.doc.push(AddNode(node))
                return self._added(node)
        if anchor is None:
            node = self._new_node(type_name, self._view_centre())
            self.doc.push(AddNode(node))
            return self._added(node)
        a_node = g.node(anchor)
        a_spec = CATALOGUE.get(a_node.type)
        pos = a_node.position or (0.0, 0.0)
        out_port = a_spec.default_output if a_spec else None
        in_port = "0" if spec.variadic else spec.default_input
        wired = bool(out_port and in_port and spec.role != "input")
        moved = self._downstream_of(anchor) if wired and spec.outputs else []
        node = self._new_node(type_name, (pos[0] + COLUMN, pos[1]), ignore=moved)
        edits = [AddNode(node)]
        if wired:
            onward = [e for e in g.edges if e.src == anchor and e.src_port == out_port]
            if spec.outputs:
                for k in moved:
                    p = g.node(k).position
                    if p is not None:
                        edits.append(MoveNode(k, (p[0] + COLUMN, p[1])))
                for e in onward:
                    edits.append(Disconnect(e))
                    edits.append(Connect(Edge(node.id, e.dst, spec.default_output, e.dst_port)))
            edits.append(Connect(Edge(anchor, node.id, out_port, in_port)))
        self.doc.push(Macro(edits, label="add node") if len(edits) > 1 else edits[0])
        return self._added(node)

    def _downstream_of(self, node_id: str) -> list[str]:
        from .canvas.view import _downstream

        below = _downstream(self.doc.graph, node_id) - {node_id}
        return [k for k in self.doc.graph.nodes if k in below]

    def _view_centre(self) -> tuple[float, float]:
        c = self.view.mapToScene(self.view.viewport().rect().center())
        return (c.x() - style.NODE_WIDTH / 2, c.y() - 40)

    # -- edit menu --------------------------------------------------------------------------------
    def delete_selection(self) -> None:
        ids = self.scene.selected_node_ids()
        gone = set(ids)
        edits = [Disconnect(e) for e in self.scene.selected_edges() if e.src not in gone and e.dst not in gone]
        edits += [RemoveNode(k) for k in ids]
        if edits:
            self.doc.push(Macro(edits, label="delete") if len(edits) > 1 else edits[0])

    def select_all(self) -> None:
        for item in self.scene.nodes.values():
            item.setSelected(True)

    def copy(self) -> bool:
        ids = self.scene.selected_node_ids()
        if not ids:
            return False
        data = fragments.extract(self.doc.graph, ids, CATALOGUE)
        text = fragments.to_text(data)
        mime = QMimeData()
        mime.setData(fragments.MIME_TYPE, text.encode("utf-8"))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            ids = self.scene.selected_node_ids()
            self.doc.push(Macro([RemoveNode(k) for k in ids], label="delete"), "cut")

    def paste(self) -> list[str]:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return []
        if mime.hasFormat(fragments.MIME_TYPE):
            raw = bytes(mime.data(fragments.MIME_TYPE))
        elif mime.hasText() and "neurona-graph" in mime.text()[:200]:
            raw = mime.text().encode("utf-8")
        else:
            self.statusBar().showMessage(self.tr("The clipboard holds no layers to paste."), 6000)
            return []
        try:
            part = fragments.read(raw, CATALOGUE)
        except GraphFileError as exc:
            self.statusBar().showMessage(self.tr("Cannot paste: {reason}").format(reason=str(exc)), 10000)
            return []
        self._paste_count += 1
        return self._insert(part, (40.0 * self._paste_count, 40.0 * self._paste_count), "paste")

    def duplicate(self) -> list[str]:
        ids = self.scene.selected_node_ids()
        if not ids:
            return []
        part = fragments.read(fragments.to_text(fragments.extract(self.doc.graph, ids, CATALOGUE)), CATALOGUE)
        return self._insert(part, (40.0, 40.0), "duplicate")

    def _insert(self, part: Graph, offset, label: str) -> list[str]:
        missing = [n for n in part.nodes.values() if n.position is None]
        if missing:
            for k, p in layered_layout(part, origin=self._view_centre()).items():
                if part.nodes[k].position is None:
                    part.nodes[k].position = p
        macro, ids = fragments.paste_edits(self.doc.graph, part, offset)
        if not ids:
            return []
        self.doc.push(macro, label)
        self.scene.select_nodes(ids)
        return ids

    def auto_arrange(self) -> None:
        """Lay the network out left to right, a long chain wrapped into as many rows as it takes
        for the canvas to show it at a readable zoom, then show it."""
        view = self.view
        room = view.viewport().width() / view.readable_zoom() - 2 * FIT_MARGIN
        per_row = max(2, int((room + COLUMN - style.NODE_WIDTH) // COLUMN))
        plain = min((item.boundingRect().height() for item in self.scene.nodes.values()), default=0.0)
        taller = {k: item.boundingRect().height() - plain for k, item in self.scene.nodes.items()}
        positions = layered_layout(self.doc.graph, per_row=per_row, taller=taller)
        moves = [MoveNode(k, p) for k, p in positions.items() if self.doc.graph.node(k).position != p]
        if moves:
            self.doc.push(Macro(moves, label="move node"), "auto-arrange")
        view.show_graph()

    # -- files ------------------------------------------------------------------------------------
    def confirm_stop_run(self) -> bool:
        """A run is training this document and another is about to take its place: stop the run
        (its folder keeps what it learned) or stay. True when no run is left going."""
        from PySide6.QtWidgets import QMessageBox

        if self.training is None or not self.training.process.running:
            return True
        box = QMessageBox(QMessageBox.Question, self.tr("A run is training"),
                          self.tr("“{name}” is training. Stop the run to open another network?").format(
                              name=self._doc_name()), QMessageBox.NoButton, self)
        box.setObjectName("stop-run")
        box.setInformativeText(self.tr("The run's folder keeps what it has learned so far."))
        stop = box.addButton(self.tr("Stop the Run"), QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(stop)
        box.exec()
        if box.clickedButton() is not stop:
            return False
        return self.training.process.stop_and_wait(10_000)

    def confirm_discard(self) -> bool:
        """Unsaved changes: Save, Discard or Cancel. True when it is fine to go on."""
        from PySide6.QtWidgets import QMessageBox

        if not self.doc.modified:
            return True
        box = QMessageBox(QMessageBox.Warning, self.tr("Unsaved changes"),
                          self.tr("“{name}” has changes that are not saved.").format(name=self._doc_name()),
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self)
        box.setObjectName("unsaved-changes")
        box.setInformativeText(self.tr("Save them before going on?"))
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def _doc_name(self) -> str:
        return self.doc.path.name if self.doc.path else self.doc.graph.name

    def new_document(self) -> bool:
        if not (self.confirm_stop_run() and self.confirm_discard()):
            return False
        g = Graph("untitled")
        self.doc.replace(g, None)
        self.slot.discard()
        self.view.resetTransform()
        self.view.centerOn(0, 0)
        self._update_title()
        return True

    def new_from_template(self, path: str) -> bool:
        if not (self.confirm_stop_run() and self.confirm_discard()):
            return False
        graph = self._read(path)
        if graph is None:
            return False
        self._place_unplaced(graph)
        self.doc.replace(graph, None)
        self.slot.discard()
        self.view.show_graph()
        self._update_title()
        return True

    def open_dialog(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        if not (self.confirm_stop_run() and self.confirm_discard()):
            return False
        start = str(self.doc.path.parent) if self.doc.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open network"), start, self.tr("Neurona graphs (*.neurona);;JSON (*.json);;All files (*)"))
        return bool(path) and self.open_path(path, confirm=False)

    def open_path(self, path: str | Path, *, confirm: bool = True) -> bool:
        """Open a graph file. A file that fails to load is reported and changes nothing."""
        if confirm and not (self.confirm_stop_run() and self.confirm_discard()):
            return False
        graph = self._read(str(path))
        if graph is None:
            return False
        self._place_unplaced(graph)
        self.doc.replace(graph, Path(path).resolve())
        self.slot.discard()
        self._add_recent(str(Path(path).resolve()))
        self.view.show_graph()
        self._update_title()
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=str(path)), 5000)
        self.file_opened.emit(str(path))
        return True

    def _read(self, path: str) -> Graph | None:
        try:
            return load_graph(path)
        except GraphFileError as exc:
            self._file_error(path, exc)
            return None

    def _file_error(self, path: str, exc: GraphFileError) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Critical, self.tr("Cannot open the file"),
                          self.tr("{file} could not be opened; the network you had open is unchanged.").format(
                              file=Path(path).name), QMessageBox.Ok, self)
        box.setObjectName("open-error")
        first = exc.problems[0] if exc.problems else None
        if first is not None:
            box.setInformativeText(str(first))
        box.setDetailedText("\n".join(str(p) for p in exc.problems))
        self.last_error = box.text() + "\n" + box.informativeText()
        box.exec()

    @staticmethod
    def _place_unplaced(graph: Graph) -> None:
        if any(n.position is None for n in graph):
            for k, p in layered_layout(graph).items():
                if graph.nodes[k].position is None:
                    graph.nodes[k].position = p

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self, path: str | Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog

        if path is None:
            start = str(self.doc.path) if self.doc.path else str(Path.home() / f"{self.doc.graph.name}.neurona")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save network as"), start, self.tr("Neurona graphs (*.neurona);;JSON (*.json);;All files (*)"))
            if not path:
                return False
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".neurona")
        if not self._write(path):
            return False
        self.doc.set_path(path.resolve())
        self._add_recent(str(path.resolve()))
        return True

    def _write(self, path: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        try:
            save_graph(self.doc.graph, path)
        except OSError as exc:
            QMessageBox.critical(self, self.tr("Cannot save"),
                                 self.tr("{file} could not be written: {reason}. Your work is still open; "
                                         "try another folder.").format(file=str(path), reason=exc.strerror or str(exc)))
            return False
        self.doc.undo_stack.setClean()
        self.slot.discard()
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=str(path)), 5000)
        self.file_saved.emit(str(path))
        return True

    def export_code(self, path: str | Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from ..compile import CompileError
        from ..compile.codegen import generate
        from ..graph.fileformat import atomic_write

        try:
            source = generate(self.doc.graph, source_name=self.doc.path.name if self.doc.path else "")
        except CompileError as exc:
            QMessageBox.warning(self, self.tr("Cannot export code"),
                                self.tr("The network has %n error(s); fix them first (see the problems list).", "",
                                        len(exc.problems)) + "\n\n" + "\n".join(i18n.problem_text(p) for p in exc.problems[:5]))
            return False
        if path is None:
            base = self.doc.path.with_suffix(".py") if self.doc.path else Path.home() / f"{self.doc.graph.name}.py"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export PyTorch code"), str(base),
                                                  self.tr("Python files (*.py)"))
            if not path:
                return False
        try:
            atomic_write(Path(path), source.encode("utf-8"))
        except OSError as exc:
            QMessageBox.critical(self, self.tr("Cannot save"), f"{path}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(self.tr("Wrote PyTorch code to {path}").format(path=str(path)), 8000)
        return True

    # -- recent files -----------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if isinstance(v, str)][:MAX_RECENT]

    def _add_recent(self, path: str) -> None:
        files = [path] + [f for f in self.recent_files() if f != path]
        self.settings.setValue("recent", files[:MAX_RECENT])

    def _clear_recent(self) -> None:
        self.settings.setValue("recent", [])

    # -- autosave and recovery ---------------------------------------------------------------------
    def autosave(self) -> bool:
        """Write the recovery file if there are changes since the last one."""
        if not self.doc.modified:
            if self.slot.exists:
                self.slot.discard()
            return False
        index = self.doc.undo_stack.index()
        if index == self._autosaved_at and self.slot.exists:
            return False
        try:
            self.slot.write(dump_graph(self.doc.graph), str(self.doc.path) if self.doc.path else None,
                            self._doc_name())
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Autosave failed: {reason}").format(reason=exc.strerror or exc), 10000)
            return False
        self._autosaved_at = index
        return True

    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file back. True if one was restored."""
        from PySide6.QtWidgets import QMessageBox

        pending = self.recovery.pending()
        if not pending:
            return False
        item = pending[0]
        when = i18n.date_time(item.saved_at) if item.saved_at else "?"
        box = QMessageBox(QMessageBox.Question, self.tr("Restore unsaved work?"),
                          self.tr("Neurona Studio did not close properly. Unsaved changes to “{name}” from {when} "
                                  "were kept.").format(name=item.name, when=when), QMessageBox.NoButton, self)
        box.setObjectName("recovery")
        restore = box.addButton(self.tr("Restore"), QMessageBox.AcceptRole)
        discard = box.addButton(self.tr("Discard"), QMessageBox.DestructiveRole)
        box.addButton(self.tr("Not now"), QMessageBox.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        if box.clickedButton() is discard:
            item.discard()
            return False
        if box.clickedButton() is not restore:
            return False
        try:
            graph = read_graph(item.text(), source=str(item.graph_file))
        except (GraphFileError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot restore"), str(exc))
            return False
        if not (self.confirm_stop_run() and self.confirm_discard()):
            return False
        self._place_unplaced(graph)
        self.doc.replace(graph, item.source, modified=True)
        item.discard()
        self.autosave()
        self.view.fit_all()
        self._update_title()
        return True

    # -- closing ----------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        if self.training is not None and self.training.process.running:
            self.training.process.wait(10_000)  # stop the run cleanly: its folder keeps what it learned
        if self.training is not None:
            self.training.shutdown()
        self.autosave_timer.stop()
        self.slot.discard()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        event.accept()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("About Neurona Studio"), self.tr(
            "<h3>Neurona Studio {version}</h3><p>Design neural networks by wiring layers together, see every "
            "tensor shape as you build, and export the result as PyTorch code.</p>"
            "<p>Headless commands: <code>neurona --help</code></p>").format(version=__version__))


class _OnFirstPaint(QObject):
    """Calls ``then`` once, when ``widget`` first paints."""

    def __init__(self, widget: QWidget, then) -> None:
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint and self.then is not None:
            then, self.then = self.then, None
            obj.removeEventFilter(self)
            then()
        return False


def _warm_imports() -> None:
    """Load what the training panel needs (NumPy, pyqtgraph: about half a second) in the
    background once the window is up, so opening the panel later does not stall the window."""
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import pyqtgraph  # noqa: F401

        from ..data import builtin  # noqa: F401
        from ..train import config, events  # noqa: F401
    except Exception:  # the panel imports them again and reports any real problem
        pass
