"""Fonts for the documents, and the one way to put a customer's text on the page.

Latin, Greek and Cyrillic text is set in DejaVu Sans, shipped in ``resources/fonts/`` with its licence
and embedded (subset) in every PDF, so names like Zoë Müller, Ñuño Peña or Renée Gagnon print as typed.

Chinese, Japanese and Korean text is set in ReportLab's CID fonts (the standard Adobe Asian fonts:
STSong-Light, HeiseiKakuGo-W5, HYGothic-Medium). They are referenced by the PDF, not embedded; every
PDF viewer and printer driver with the Adobe Asian font packs (Acrobat, macOS Preview, pdfium, Chrome)
supplies them. A run of Han characters is printed with the Japanese font when the same text contains kana,
with the Korean font when it contains Hangul, and with the Chinese font otherwise (so 山田太郎 on its own
prints in STSong; the common characters of names look alike in all three).

**Characters no font covers are substituted visibly**, never left to print as empty boxes or "?": each
one prints as its code point in brackets, e.g. "[U+1F60A]". Failing a whole batch of slips because a
buyer put an emoji in her note would be worse than printing the code. Call
:func:`unprintable_characters` before printing to warn the owner about them. Invisible formatting
characters (zero-width joiners, variation selectors, direction marks) are dropped, and text is
NFC-normalised first so a decomposed "é" is printed as one letter.

Use :func:`paragraph_markup` for text in platypus Paragraphs, and :func:`draw_string`,
:func:`string_width` and :func:`fit_to_width` for text drawn straight on a canvas.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from shopdesk.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"

CJK_CHINESE = "STSong-Light"
CJK_JAPANESE = "HeiseiKakuGo-W5"
CJK_KOREAN = "HYGothic-Medium"
CJK_FONTS = (CJK_CHINESE, CJK_JAPANESE, CJK_KOREAN)

_FACES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    OBLIQUE: "DejaVuSans-Oblique.ttf",
    BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
}

ELLIPSIS = "…"


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (all four faces, as one family) and the CJK CID fonts, once per process."""
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE)
    for name in CJK_FONTS:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
        # CID fonts have one face; <b> and <i> inside a CJK run keep the same face instead of failing.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)


@functools.cache
def _dejavu_coverage() -> frozenset[int]:
    """Code points every DejaVu face has a glyph for, so bold or oblique text never prints a box."""
    register_fonts()
    sets = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FACES]
    return frozenset(set.intersection(*sets))


_Script = Literal["han", "kana", "hangul", "cjk"]


def _cjk_script(cp: int) -> _Script | None:
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return "hangul"
    if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F:
        return "kana"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x2FA1F:
        return "han"
    # CJK punctuation, fullwidth forms, enclosed and compatibility characters.
    if 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFF65 or 0xFFE0 <= cp <= 0xFFEF or 0x3200 <= cp <= 0x33FF:
        return "cjk"
    return None


def _cjk_font_for(text: str) -> str:
    scripts = {_cjk_script(ord(c)) for c in text}
    if "kana" in scripts:
        return CJK_JAPANESE
    if "hangul" in scripts:
        return CJK_KOREAN
    return CJK_CHINESE


def _is_invisible(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


# ASCII control characters other than the line break, dropped from plain-ASCII text in one pass.
_ASCII_CONTROLS = {cp: None for cp in (*range(32), 127) if cp != ord("\n")}


def clean_text(text: str) -> str:
    """NFC-normalise, turn tabs into spaces and line endings into "\\n", drop invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isascii():
        # Most of what a slip prints: nothing to normalise, only control characters to drop.
        return text.translate(_ASCII_CONTROLS)
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch for ch in text if ch == "\n" or not (_is_invisible(ch) or unicodedata.category(ch) == "Cc")
    )


def _substitute(ch: str) -> str:
    return f"[U+{ord(ch):04X}]"


def text_runs(text: str) -> list[tuple[str, str | None]]:
    """Split cleaned text into (text, font) runs: font None means the caller's DejaVu face.

    CJK runs carry their CID font's name; characters no font covers are already replaced by their
    visible "[U+XXXX]" substitute (see the module's doc).
    """
    return list(_runs(text))


# Slips repeat the same names, addresses and captions; a batch works each text out once.
@functools.lru_cache(maxsize=8192)
def _runs(text: str) -> tuple[tuple[str, str | None], ...]:
    return tuple(_split_runs(text))


def _split_runs(text: str) -> list[tuple[str, str | None]]:
    text = clean_text(text)
    if text.isascii():
        return [(text, None)] if text else []  # DejaVu covers all of printable ASCII
    covered = _dejavu_coverage()
    cjk_font = _cjk_font_for(text)
    runs: list[tuple[str, str | None]] = []
    for ch in text:
        cp = ord(ch)
        if _cjk_script(cp) is not None:
            piece, font = ch, cjk_font
        elif cp in covered or ch == "\n":
            piece, font = ch, None
        else:
            piece, font = _substitute(ch), None
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + piece, font)
        else:
            runs.append((piece, font))
    return runs


def unprintable_characters(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` that no font covers and would print as "[U+XXXX]"."""
    covered = _dejavu_coverage()
    found: dict[str, None] = {}
    for ch in clean_text(text):
        if ch != "\n" and ord(ch) not in covered and _cjk_script(ord(ch)) is None:
            found[ch] = None
    return tuple(found)


@functools.lru_cache(maxsize=8192)
def paragraph_markup(text: str) -> str:
    """Customer or owner text as safe Paragraph markup: escaped, CJK runs in their font, lines kept."""
    parts = []
    for run, font in _runs(text):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(f'<font name="{font}">{escaped}</font>' if font else escaped)
    return "".join(parts)


def string_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` drawn with :func:`draw_string` in ``font`` at ``size``."""
    return _string_width(text, font, size)


@functools.lru_cache(maxsize=8192)
def _string_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return sum(
        pdfmetrics.stringWidth(run, run_font or font, size)
        for run, run_font in _runs(text.replace("\n", " "))
    )


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    anchor: Literal["start", "middle", "end"] = "start",
) -> float:
    """Draw one line of text on a canvas, switching to the CJK fonts where needed. Returns its width."""
    register_fonts()
    runs = _runs(text.replace("\n", " "))
    width = sum(pdfmetrics.stringWidth(run, run_font or font, size) for run, run_font in runs)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    for run, run_font in runs:
        canvas.setFont(run_font or font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, run_font or font, size)
    return width


def fit_to_width(text: str, font: str, size: float, max_width: float) -> str:
    """``text`` shortened at the end with an ellipsis so it fits ``max_width``; unchanged if it fits."""
    text = clean_text(text).replace("\n", " ")
    if string_width(text, font, size) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid].rstrip() + ELLIPSIS, font, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS
