"""The one error the deploy package raises. No torch, no onnxruntime.

Kept in its own module so the runner can raise it without importing the exporter.
"""

from __future__ import annotations


MESSAGE_LIMIT = 600  # room for the exporters' two causes (cut shorter where they are quoted) and the fix


class DeployError(Exception):
    """Something about exporting or running a model went wrong.

    ``str(error)`` is one line that names the problem and the fix, ready for a CLI's stderr.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message, limit=MESSAGE_LIMIT))


def one_line(text: object, limit: int = 300) -> str:
    """The first non-empty line of ``text`` (error messages from torch and onnx run to pages)."""
    for line in str(text).splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return type(text).__name__ if isinstance(text, BaseException) else "unknown error"
