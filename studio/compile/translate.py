"""The core's messages for a learner, in the window's language.

Validation, shape inference, parameter and node-id checks and wiring checks write their
messages in English (``Problem.message`` / ``Problem.fix``, ``ShapeError``, ``Param.problem``,
``node_id_problem``, ``check_wire(...).reason``). This module turns them into another language
without touching the code that writes them: ``resources/messages/<lang>.json`` holds patterns,
each a regular expression over the English text (a full match; named groups for the variable
parts) and a template in the target language that puts the groups back::

    "(?P<layer>{TYPE}) expects (?P<what__t>.+) but receives (?P<got__t>.+)":
        "{layer} espera {what}, pero recibe {got}"

- ``{TYPE}``, ``{ID}`` … in a pattern are the catalogue's ``macros`` (shared sub-patterns).
- A group whose name ends in ``__t`` is itself translated with the same patterns, so fragments
  that recur ("a flat vector of 64", "add a Flatten before it", "must be at least 1") are
  written once; ``__<section>`` translates it with another section of the catalogue (e.g.
  ``__value`` for values quoted from a file). The template names the group without the suffix.
- ``{n|uno|otros}`` in a template is ``uno`` when group ``n`` is "1", else ``otros``.
- Patterns are tried in catalogue order; the first full match wins. A text no pattern matches
  as a whole is split on " — " (message and fix) and then on "; ", and the parts translated.
- Whatever cannot be matched stays in English: ``translate`` never raises (unless asked to
  with ``strict=True``), and ``missing`` says which parts were left untranslated.

No Qt, no torch. Patterns are compiled once per language into one alternation, and results
are cached: translating every problem of a 500-node graph takes a few milliseconds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..layers.spec import resources_dir

MAIN = "messages"  # the section a top-level text and a ``__t`` group are translated with
SEPARATORS = (" — ", "; ")  # how compound messages are joined, outermost first
_MAX_DEPTH = 12
_MAX_PARTS = 8  # more separators than this: translate the parts one by one, no search
_CACHE_LIMIT = 50_000

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")
_BACKREF = re.compile(r"\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^|{}]*)\|([^|{}]*))?\}")


class UntranslatedError(ValueError):
    """``translate(..., strict=True)`` met text that no pattern matches."""

    def __init__(self, text: str, missing: tuple[str, ...], lang: str) -> None:
        super().__init__(f"no {lang!r} pattern matches {', '.join(map(repr, missing))} (in {text!r})")
        self.text = text
        self.missing = missing
        self.lang = lang


@dataclass(frozen=True)
class Translation:
    """The result of ``explain``: the translated ``text``, the English parts no pattern
    matched (``missing``), the variable parts carried over unchanged (``kept``: ids, numbers,
    shapes, type and parameter names, quoted values) and the patterns used."""

    text: str
    missing: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    used: tuple[str, ...] = ()  # the catalogue patterns that matched, outermost first

    @property
    def complete(self) -> bool:
        return not self.missing


# --------------------------------------------------------------------------------------------
# The catalogue


@dataclass(frozen=True)
class _Slot:
    """A placeholder of a template: the ``group`` of the combined regex it reads, the
    ``section`` that translates it (None: kept as it is), or ``forms`` = (one, other) for a
    choice by number."""

    group: str
    section: str | None
    forms: tuple[str, str] | None = None


@dataclass(frozen=True)
class _Entry:
    pattern: str
    template: tuple[str | _Slot, ...]
    regex: re.Pattern  # this entry alone, with the combined regex's group names


class _Section:
    def __init__(self, entries: list[_Entry], regex: re.Pattern | None) -> None:
        self.entries = entries
        self.regex = regex


class Catalogue:
    """One language's patterns, compiled. ``problems`` lists entries that were left out
    because they are broken (a bad regular expression, a template naming a missing group)."""

    def __init__(self, lang: str, data: dict[str, Any]) -> None:
        self.lang = lang
        self.problems: list[str] = []
        macros = {k: str(v) for k, v in (data.get("macros") or {}).items()}
        self.sections: dict[str, _Section] = {}
        for name, table in data.items():
            if name in ("macros",) or name.startswith("_") or not isinstance(table, dict):
                continue
            self.sections[name] = self._compile(name, table, macros)
        for name, sec in self.sections.items():
            for entry in sec.entries:
                for part in entry.template:
                    if isinstance(part, _Slot) and part.section is not None and part.section not in self.sections:
                        self.problems.append(f"{name}: {entry.pattern!r}: there is no section {part.section!r}")
        self._cache: dict[tuple[str, str], Translation] = {}

    def _compile(self, section: str, table: dict[str, str], macros: dict[str, str]) -> _Section:
        entries: list[_Entry] = []
        branches: list[str] = []
        for pattern, template in table.items():
            prefix = f"_{section}{len(entries)}_"
            try:
                entry, branch = self._entry(pattern, str(template), macros, prefix)
            except (ValueError, re.error) as exc:
                self.problems.append(f"{section}: {pattern!r}: {exc}")
                continue
            entries.append(entry)
            branches.append(f"(?:{branch})(?P<{prefix}>)")  # marker last: a branch led by a literal is skipped at once
        regex = re.compile("|".join(branches)) if branches else None
        return _Section(entries, regex)

    @staticmethod
    def _entry(pattern: str, template: str, macros: dict[str, str], prefix: str) -> tuple[_Entry, str]:
        def macro(m: re.Match) -> str:
            if m.group(1) not in macros:
                raise ValueError(f"unknown macro {{{m.group(1)}}}")
            return f"(?:{macros[m.group(1)]})"

        expanded = pattern
        for _ in range(8):  # macros may use macros
            expanded, n = _MACRO.subn(macro, expanded)
            if not n:
                break
        groups = _GROUP.findall(expanded)
        if len(groups) != len(set(groups)):
            raise ValueError("a group name is used twice")
        by_base: dict[str, tuple[str, str | None]] = {}
        for g in groups:
            base, sep, suffix = g.rpartition("__")
            if not sep or not base:
                base, suffix = g, ""
            section = None if not suffix else MAIN if suffix == "t" else suffix
            if base in by_base:
                raise ValueError(f"two groups are called {base!r}")
            by_base[base] = (prefix + g, section)
        branch = _GROUP.sub(lambda m: f"(?P<{prefix}{m.group(1)}>", expanded)
        branch = _BACKREF.sub(lambda m: f"(?P={prefix}{m.group(1)})", branch)

        parts: list[str | _Slot] = []
        used: set[str] = set()
        pos = 0
        for m in _PLACEHOLDER.finditer(template):
            if m.start() > pos:
                parts.append(template[pos:m.start()])
            name = m.group(1)
            if name not in by_base:
                raise ValueError(f"the template names {{{name}}}, which the pattern does not capture")
            group, section = by_base[name]
            if m.group(2) is not None:
                parts.append(_Slot(group, None, (m.group(2), m.group(3))))
            else:
                parts.append(_Slot(group, section))
                used.add(name)
            pos = m.end()
        if pos < len(template):
            parts.append(template[pos:])
        unused = set(by_base) - used
        if unused:
            raise ValueError(f"the template leaves out {', '.join(sorted(unused))}")
        return _Entry(pattern, tuple(parts), re.compile(branch)), branch

    def patterns(self) -> dict[str, list[str]]:
        """Every pattern in use, per section, in the order they are tried."""
        return {name: [e.pattern for e in sec.entries] for name, sec in self.sections.items()}

    # -- translating --------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget the translations cached so far (the patterns stay compiled)."""
        self._cache.clear()

    def explain(self, text: str, section: str = MAIN, depth: int = 0) -> Translation:
        if depth > _MAX_DEPTH:  # a pattern that hands its whole text back to itself; not cached
            return Translation(text, (text,))
        key = (section, text)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        result = self._match(text, section, depth)
        if result is None:
            result = self._split(text, section, depth) if section == MAIN else None
        if result is None:
            result = Translation(text, (text,))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _match(self, text: str, section: str, depth: int) -> Translation | None:
        sec = self.sections.get(section)
        if sec is None or sec.regex is None:
            return None
        m = sec.regex.fullmatch(text)
        if m is None:
            return None
        index = int(m.lastgroup[len(section) + 1:-1])
        first = self._render(sec.entries[index], m, depth)
        if first.missing:
            # A part of it is unknown: a later pattern may read the text another way.
            for entry in sec.entries[index + 1:]:
                m = entry.regex.fullmatch(text)
                if m is not None:
                    result = self._render(entry, m, depth)
                    if not result.missing:
                        return result
        return first

    def _render(self, entry: _Entry, m: re.Match, depth: int) -> Translation:
        out: list[str] = []
        missing: list[str] = []
        kept: list[str] = []
        used: list[str] = [entry.pattern]
        for part in entry.template:
            if isinstance(part, str):
                out.append(part)
                continue
            value = m.group(part.group)
            if part.forms is not None:
                out.append(part.forms[0] if value == "1" else part.forms[1])
            elif value is None:
                continue
            elif part.section is None:
                out.append(value)
                kept.append(value)
            else:
                sub = self.explain(value, part.section, depth + 1)
                out.append(sub.text)
                missing.extend(sub.missing)
                kept.extend(sub.kept)
                used.extend(sub.used)
        return Translation("".join(out), tuple(missing), tuple(kept), tuple(used))

    def _split(self, text: str, section: str, depth: int) -> Translation | None:
        """A compound text: the first way of cutting it at a separator whose two sides both
        translate completely, else each part on its own (the untranslated ones reported)."""
        for sep in SEPARATORS:
            parts = text.split(sep)
            if len(parts) < 2 or len(parts) > _MAX_PARTS:
                continue
            for i in range(1, len(parts)):
                left = self.explain(sep.join(parts[:i]), section, depth + 1)
                if left.missing:
                    continue
                right = self.explain(sep.join(parts[i:]), section, depth + 1)
                if not right.missing:
                    return Translation(left.text + sep + right.text, (), left.kept + right.kept,
                                       left.used + right.used)
        if not any(sep in text for sep in SEPARATORS):
            return None
        sep = next(s for s in SEPARATORS if s in text)
        pieces = [self.explain(p, section, depth + 1) for p in text.split(sep)]
        return Translation(sep.join(p.text for p in pieces), sum((p.missing for p in pieces), ()),
                           sum((p.kept for p in pieces), ()), sum((p.used for p in pieces), ()))


def _normalise(lang: str) -> str:
    return str(lang or "").strip().replace("-", "_").lower()


@lru_cache(maxsize=None)
def catalogue(lang: str) -> Catalogue | None:
    """The compiled catalogue for ``lang`` ("es", "es_MX", "es-AR" …), or None for English and
    for a language without one (its texts stay English)."""
    lang = _normalise(lang)
    if not lang or lang == "en" or lang.startswith("en_"):
        return None
    folder = resources_dir() / "messages"
    for name in dict.fromkeys((lang, lang.split("_")[0])):
        try:
            data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return Catalogue(name, data)
    return None


def clear_cache() -> None:
    """Forget compiled catalogues and cached translations (after editing a catalogue file)."""
    catalogue.cache_clear()


# --------------------------------------------------------------------------------------------
# The API


def explain(text: str, lang: str) -> Translation:
    """``text`` in ``lang``, with what was kept and what no pattern matched."""
    if not isinstance(text, str) or not text:
        return Translation(text if isinstance(text, str) else str(text))
    cat = catalogue(lang)
    if cat is None:
        return Translation(text)
    return cat.explain(text)


def translate(text: str, lang: str, *, strict: bool = False) -> str:
    """``text`` (a message of the core, in English) in ``lang``. English, an unknown language
    and text no pattern matches come back unchanged; with ``strict=True`` an untranslated
    part raises ``UntranslatedError`` (tests use it; the window never does)."""
    if strict:
        if catalogue(lang) is None and _normalise(lang).split("_")[0] != "en":
            raise LookupError(f"there is no message catalogue for {lang!r}")
        result = explain(text, lang)
        if result.missing:
            raise UntranslatedError(text, result.missing, lang)
        return result.text
    if not isinstance(text, str):
        return text
    try:
        return explain(text, lang).text
    except Exception:  # a broken catalogue must never take a message away from the learner
        return text


def missing(text: str, lang: str) -> tuple[str, ...]:
    """The parts of ``text`` that no pattern of ``lang`` matches (empty: fully translated)."""
    return explain(text, lang).missing


def translate_problem(problem: Any, lang: str, *, strict: bool = False) -> str:
    """``problem.text()`` in ``lang``: the message and the fix translated each on its own,
    joined with " — " as ``Problem.text`` joins them."""
    message = translate(problem.message, lang, strict=strict)
    if not problem.fix:
        return message
    return message + " — " + translate(problem.fix, lang, strict=strict)


__all__ = ["Catalogue", "Translation", "UntranslatedError", "catalogue", "clear_cache", "explain", "missing",
           "translate", "translate_problem"]
