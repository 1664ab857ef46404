"""A tiny event emitter for the document. No Qt, no torch.

Bound methods are held through weak references so that a view which subscribes and is
then closed does not keep itself alive (or keep receiving events) through the document.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Change:
    """One change to a graph document.

    ``kind`` is one of: ``node_added``, ``node_removed``, ``node_moved``, ``node_renamed``,
    ``param_changed``, ``edge_added``, ``edge_removed``, ``graph_changed`` (name,
    description or a whole-document replacement).
    """

    kind: str
    node_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Emitter:
    def __init__(self) -> None:
        self._subscribers: list[Callable[[], Callable[[Change], None] | None]] = []

    def subscribe(self, callback: Callable[[Change], None]) -> None:
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            ref = weakref.WeakMethod(callback)
        else:
            ref = lambda cb=callback: cb  # noqa: E731 - plain functions are held strongly
        self._subscribers.append(ref)

    def unsubscribe(self, callback: Callable[[Change], None]) -> None:
        self._subscribers = [r for r in self._subscribers if r() not in (None, callback)]

    def emit(self, change: Change) -> None:
        dead = False
        for ref in list(self._subscribers):  # a callback may subscribe or unsubscribe
            cb = ref()
            if cb is None:
                dead = True
                continue
            cb(change)
        if dead:
            self._subscribers = [r for r in self._subscribers if r() is not None]

    def __len__(self) -> int:
        return sum(1 for r in self._subscribers if r() is not None)
