"""Text into Qt rich text: the little the window needs before its first paint (the standard
``html`` module loads its entity table, a few milliseconds of start-up)."""

from __future__ import annotations


def escape(text: str) -> str:
    """``text`` shown literally inside a rich-text element or a quoted attribute."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))
