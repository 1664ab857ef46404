"""A parameter's limits in words, for the inspector's refusals: what the declaration allows
("whole numbers from 1 to 1,024") and why a limit is there ("a count, a size or a step cannot
be zero or negative"), in the window's language.

The limits themselves come from the declaration (``Param.min``, ``max``, ``choices`` …); the
reasons are one per kind of limit, so no layer needs its own wording.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from ..layers import Param
from . import i18n

_WHOLE = ("int", "int2", "ints", "padding")


def _is_share(p: Param) -> bool:
    return p.kind == "float" and p.min == 0 and p.max == 1


def why(p: Param, problem: str) -> str:
    """Why the limit that ``problem`` names is there; "" when the problem says it all."""
    if problem.startswith("must be at least"):
        if _is_share(p):
            return QCoreApplication.translate("Limits", "it is a probability or a fraction, so it lies between 0 and 1")
        if p.kind == "float" and p.min is not None and p.min > 0:
            return QCoreApplication.translate("Limits", "it must stay above zero, since the layer divides by it or scales "
                                                        "by it")
        if p.min is not None and p.min >= 1:
            return QCoreApplication.translate("Limits", "it is a count, a size or a step, and none of those can be zero "
                                                        "or negative")
        return QCoreApplication.translate("Limits", "it counts or scales something, and a negative amount means nothing "
                                                    "here")
    if problem.startswith("must be at most"):
        if _is_share(p):
            return QCoreApplication.translate("Limits", "it is a probability or a fraction, so it lies between 0 and 1")
        return QCoreApplication.translate("Limits", "the studio goes no higher, since a larger value is almost surely "
                                                    "a typing slip")
    if problem.startswith("must be a whole number") and p.kind in _WHOLE:
        return QCoreApplication.translate("Limits", "a layer counts whole things (filters, neurons, pixels, steps), "
                                                    "never part of one")
    return ""


def _bound(p: Param, x: float) -> str:
    return i18n.number(int(x)) if p.kind in _WHOLE else i18n.decimal(x, 6)


def _span(p: Param) -> str:
    """The declared range of one number."""
    lo = _bound(p, p.min) if p.min is not None else None
    hi = _bound(p, p.max) if p.max is not None else None
    if p.kind in _WHOLE:
        if lo is not None and hi is not None:
            return QCoreApplication.translate("Limits", "whole numbers from {lo} to {hi}").format(lo=lo, hi=hi)
        if lo is not None:
            return QCoreApplication.translate("Limits", "whole numbers from {lo} up").format(lo=lo)
        if hi is not None:
            return QCoreApplication.translate("Limits", "whole numbers up to {hi}").format(hi=hi)
        return QCoreApplication.translate("Limits", "any whole number")
    if lo is not None and hi is not None:
        return QCoreApplication.translate("Limits", "numbers from {lo} to {hi}").format(lo=lo, hi=hi)
    if lo is not None:
        return QCoreApplication.translate("Limits", "numbers from {lo} up").format(lo=lo)
    if hi is not None:
        return QCoreApplication.translate("Limits", "numbers up to {hi}").format(hi=hi)
    return QCoreApplication.translate("Limits", "any number")


def allowed(p: Param) -> str:
    """What the declaration allows, as a sentence: "Allowed: whole numbers from 1 to 1,024"."""
    k = p.kind
    if k == "choice":
        what = ", ".join(p.choices)
    elif k == "bool":
        what = QCoreApplication.translate("Limits", "on or off")
    elif k == "int2":
        what = QCoreApplication.translate("Limits", "{span}, for height and width").format(span=_span(p))
    elif k == "padding":
        what = QCoreApplication.translate("Limits", "{span}, for height and width, or 'same' or 'valid'").format(
            span=_span(p))
    elif k == "ints":
        what = QCoreApplication.translate("Limits", "{low} to {high} {span}, separated by commas").format(
            low=p.min_len, high=p.max_len, span=_span(p))
        if p.allow_infer:
            what += QCoreApplication.translate("Limits", "; one of them may be -1, worked out from the others")
    else:
        what = _span(p)
    if p.optional:
        what += QCoreApplication.translate("Limits", "; or none (untick the box)")
    return QCoreApplication.translate("Limits", "Allowed: {what}.").format(what=what)


def refusal(p: Param, problem: str) -> str:
    """The refusal of a value, as rich text for a label: the problem in the window's language and
    its reason, then what is allowed."""
    head = i18n.text(f"{p.name} {problem}")
    reason = why(p, problem)
    return (f"<b>{html.escape(head)}</b>" + (html.escape(": " + reason) if reason else "") + "."
            + "<br>" + html.escape(allowed(p)))
