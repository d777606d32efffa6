"""Text measured and wrapped by hand into lines ready to draw, and columns of such lines.

For documents drawn straight on the canvas instead of with platypus, whose Paragraph costs too much
when a batch of 500 packing slips is printed at once. A paragraph is broken into :class:`Line` s once
(:func:`wrap_text` keeps what it worked out, so a batch wraps the same caption or address once); lines
are stacked into a :data:`Column`, which can be measured and split where a page ends.

Nothing here knows what a slip is: any document drawn on the canvas can wrap its text here and draw the
lines with :class:`canvas_ink.Ink`. Widths are measured with ReportLab's font metrics, so the fonts must
be registered first (:func:`fonts.register_fonts`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from shopdesk.documents import fonts

Run = tuple[str, str]
"""A piece of one line in one font: (text, font name)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text, ready to draw: its runs, width, size, leading (the height it takes) and colour."""

    runs: tuple[Run, ...]
    width: float
    size: float
    leading: float
    color: Color


Column = tuple["Line | float", ...]
"""Lines stacked from the top; a number between them is a gap in points."""


def column_height(column: Column) -> float:
    return sum(item.leading if isinstance(item, Line) else item for item in column)


def split_column(column: Column, room: float) -> tuple[Column, Column] | None:
    """The lines that fit in ``room`` and the rest (gaps at the break are dropped); None when not even
    the first line fits or everything does."""
    used, last_fit = 0.0, 0
    for index, item in enumerate(column):
        used += item.leading if isinstance(item, Line) else item
        if used > room + 0.01:
            break
        if isinstance(item, Line):
            last_fit = index + 1
    else:
        return None
    if last_fit == 0:
        return None
    rest = column[last_fit:]
    while rest and not isinstance(rest[0], Line):
        rest = rest[1:]
    return (column[:last_fit], rest) if rest else None


def wrap_text(
    text: str,
    font: str,
    size: float,
    width: float,
    color: Color,
    leading: float | None = None,
    *,
    prefix: str = "",
    prefix_font: str = "",
) -> tuple[Line, ...]:
    """``text`` wrapped to ``width`` (after a ``prefix`` in its own font, e.g. a bold label); no lines for
    empty text. Line breaks in the text are kept."""
    spans = ((prefix, prefix_font), (text, font)) if prefix else ((text, font),)
    return _set_lines(spans, size, round(width, 3), leading or size * 1.28, color)


@functools.lru_cache(maxsize=8192)
def _set_lines(
    spans: tuple[Run, ...], size: float, width: float, leading: float, color: Color
) -> tuple[Line, ...]:
    return tuple(
        Line(runs, line_width, size, leading, color) for runs, line_width in _wrap(spans, size, width)
    )


def one_line(text: str, font: str, size: float, color: Color) -> Line:
    """``text`` on one line however long it is (fit it first, e.g. with :func:`fonts.fit_to_width`)."""
    lines = wrap_text(text, font, size, 1e6, color)
    return lines[0] if lines else Line((), 0.0, size, size * 1.28, color)


def joined_parts(
    parts: Sequence[str], separator: str, font: str, size: float, width: float, color: Color, leading: float
) -> tuple[Line, ...]:
    """Parts of one line (an address, the contact details) joined by ``separator``; where they do not
    fit on one line, the line breaks between parts rather than inside one (a phone number stays whole)."""
    parts = [part for part in parts if part.strip()]
    joined = wrap_text(separator.join(parts), font, size, width, color, leading)
    if len(joined) == 1:
        return joined
    lines: list[str] = []
    for part in parts:
        if lines and fonts.string_width(lines[-1] + separator + part, font, size) <= width:
            lines[-1] += separator + part
        else:
            lines.append(part)
    return sum((wrap_text(line, font, size, width, color, leading) for line in lines), ())


# --- how a paragraph breaks into lines ---------------------------------------------------------------

# Printable ASCII (no line breaks, tabs or control characters): if it fits, it is one run, as it is.
_PLAIN = re.compile(r"[ -~]*")


def _wrap(spans: tuple[Run, ...], size: float, width: float) -> list[tuple[tuple[Run, ...], float]]:
    """Break text into lines no wider than ``width``: (runs, width) for each line.

    ``spans`` are (text, font) pieces of one paragraph. The text goes through :func:`fonts.text_runs`,
    so CJK runs get the CJK font and characters no font covers their visible "[U+XXXX]". Lines break at
    spaces and between CJK characters; a word wider than the line is broken between its characters;
    a line break in the text starts a new line. Spaces as typed are kept inside a line and dropped
    where it breaks.
    """
    if len(spans) == 1:
        text, font = spans[0]
        if _PLAIN.fullmatch(text) and not text.startswith(" ") and not text.endswith(" "):
            if not text:
                return []
            text_width = stringWidth(text, font, size)
            if text_width <= width:
                return [(((text, font),), text_width)]
    lines: list[tuple[tuple[Run, ...], float]] = []
    for hard_line in _hard_lines(spans):
        lines += _fill(_words(hard_line, size), width, size)
    while lines and not lines[-1][0]:
        lines.pop()
    return lines


def _hard_lines(spans: tuple[Run, ...]) -> list[list[Run]]:
    """The paragraph cut at its line breaks, each part as (text, font) runs, CJK text in the CJK font."""
    hard: list[list[Run]] = [[]]
    for text, face in spans:
        for run, cjk_font in fonts.text_runs(text):
            for index, part in enumerate(run.split("\n")):
                if index:
                    hard.append([])
                if part:
                    hard[-1].append((part, cjk_font or face))
    while hard and not hard[0]:
        hard.pop(0)
    return hard


@dataclass(slots=True)
class _Word:
    runs: list[Run]
    width: float
    space: bool = False


# CJK lines never start with closing punctuation or a small kana, nor end with an opening bracket.
_NO_BREAK_BEFORE = frozenset(
    "、。，．・：；！？）」』】〕〉》ー…々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
_NO_BREAK_AFTER = frozenset("（「『【〔〈《")


def _words(runs: list[Run], size: float) -> list[_Word]:
    """Words and spaces of one hard line. Each CJK character is a word of its own (a line may break
    before or after it, except around punctuation); other text only breaks at spaces."""
    words: list[_Word] = []
    last = ""  # how the last word ends: "latin", "cjk", "open" (an opening bracket), "" (a space or nothing)
    for text, font in runs:
        cjk = font == fonts.CJK
        for piece in text if cjk else re.split(r"( +)", text):
            if not piece:
                continue
            piece_width = stringWidth(piece, font, size)
            if piece.startswith(" "):
                words.append(_Word([(piece, font)], piece_width, space=True))
                last = ""
                continue
            if (
                last == "open"
                or (last == "latin" and not cjk)
                or (last and cjk and piece in _NO_BREAK_BEFORE)
            ):
                words[-1].runs.append((piece, font))
                words[-1].width += piece_width
            else:
                words.append(_Word([(piece, font)], piece_width))
            last = ("open" if piece in _NO_BREAK_AFTER else "cjk") if cjk else "latin"
    return words


def _fill(words: list[_Word], width: float, size: float) -> list[tuple[tuple[Run, ...], float]]:
    """Greedy line filling: as many words on each line as fit."""
    lines: list[tuple[tuple[Run, ...], float]] = []
    line: list[Run] = []
    line_width = 0.0
    space: _Word | None = None
    for word in words:
        if word.space:
            space = word if line else None
            continue
        gap = space.width if space is not None else 0.0
        if line and line_width + gap + word.width > width + 0.01:
            lines.append((_merged(line), line_width))
            line, line_width, gap = [], 0.0, 0.0
        if not line and word.width > width + 0.01:
            pieces = _broken_word(word, width, size)
            lines += [(_merged(runs), piece_width) for runs, piece_width in pieces[:-1]]
            word = _Word(*pieces[-1])
        if gap:
            line += space.runs
        line += word.runs
        line_width += gap + word.width
        space = None
    lines.append((_merged(line), line_width))
    return lines


def _broken_word(word: _Word, width: float, size: float) -> list[tuple[list[Run], float]]:
    """A word too wide for any line, cut between characters into pieces that fit."""
    pieces: list[tuple[list[Run], float]] = []
    piece: list[Run] = []
    used = 0.0
    for text, font in word.runs:
        start = 0
        for index, char in enumerate(text):
            char_width = stringWidth(char, font, size)
            if used + char_width > width + 0.01 and (index > start or piece):
                if index > start:
                    piece.append((text[start:index], font))
                pieces.append((piece, used))
                piece, used, start = [], 0.0, index
            used += char_width
        if start < len(text):
            piece.append((text[start:], font))
    pieces.append((piece, used))
    return pieces


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for text, font in runs:
        if merged and merged[-1][1] == font:
            merged[-1] = (merged[-1][0] + text, font)
        else:
            merged.append((text, font))
    return tuple(merged)
