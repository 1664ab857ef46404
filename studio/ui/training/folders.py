"""Where a document's runs live, and whether it has any finished: light enough to ask before the
training panel (NumPy, pyqtgraph) is built."""

from __future__ import annotations

import os
from pathlib import Path


def runs_folder(doc) -> Path:
    """Where this document's runs go: ``runs/<name>/`` beside a saved file, else (unsaved, or a
    folder the user cannot write, such as an installed example) in the user's data folder."""
    if doc.path is not None and os.access(doc.path.parent, os.W_OK):
        return doc.path.parent / "runs" / doc.path.stem
    from platformdirs import user_data_dir  # unsaved, or beside a file in a read-only place

    return Path(user_data_dir("neurona-studio", appauthor=False)) / "runs" / (doc.graph.name or "untitled")


def has_finished_run(folder: Path) -> bool:
    """True when ``folder`` holds a run that finished (its summary is written last)."""
    try:
        return any(d.is_dir() and (d / "summary.json").is_file() for d in folder.iterdir())
    except OSError:
        return False
