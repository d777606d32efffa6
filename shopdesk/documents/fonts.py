"""Fonts for the documents, and the one way to put a customer's text on the page.

Every font is embedded in the PDF, so a document prints and previews the same on any machine, whatever
fonts that machine has: ShopDesk's own preview and printing draw pages with pdfium, which on a Linux
without a Chinese, Japanese or Korean font installed leaves a font the PDF only names (such as ReportLab's
Adobe Asian CID fonts) blank. Both fonts below are shipped in ``resources/fonts/`` with their licences,
and only the glyphs a document uses go into its PDF (TrueType subsets: a Japanese name adds a few KB).

Latin, Greek and Cyrillic text is set in DejaVu Sans, so names like Zoë Müller, Ñuño Peña or Renée
Gagnon print as typed.

Chinese, Japanese and Korean text (Han, kana, Hangul, CJK punctuation and fullwidth forms) is set in
Droid Sans Fallback, one font for all three: 山田太郎, 王芳 and 김민준 alike (a Han character that Japan and
China draw slightly differently, such as 直, prints in its Chinese form). It is read the first time a
text contains such a character, never before, because reading the 3.4 MB font takes some 80 ms that
most documents and the start-up have no use for. It has one weight and no italic: CJK text in a bold
or oblique line keeps the regular face (a synthetic bold closes up dense characters such as 藤 or 鑫 at
label sizes on a 203 dpi thermal printer; the name on a slip stands out by its size and place anyway).

**Characters no font covers are substituted visibly**, never left to print as empty boxes or "?": each
one prints as its code point in brackets, e.g. "[U+1F60A]" (so do the rare ideographs Droid Sans
Fallback lacks, such as those of CJK Extension A and B). Failing a whole batch of slips because a buyer
put an emoji in her note would be worse than printing the code. Call :func:`unprintable_characters`
before printing to warn the owner about them. Invisible formatting characters (zero-width joiners,
variation selectors, direction marks) are dropped, and text is NFC-normalised first so a decomposed "é"
is printed as one letter.

Use :func:`paragraph_markup` for text in platypus Paragraphs, and :func:`draw_string`,
:func:`string_width` and :func:`fit_to_width` for text drawn straight on a canvas; documents that
measure text themselves take its fonts from :func:`text_runs`.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Container
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from shopdesk.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"

CJK = "DroidSansFallback"
"""The font of Chinese, Japanese and Korean text (registered when first needed: see :func:`text_runs`)."""

_FACES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    OBLIQUE: "DejaVuSans-Oblique.ttf",
    BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
}
_CJK_FILE = "DroidSansFallback.ttf"

ELLIPSIS = "…"


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (all four faces, as one family), once per process.

    The CJK font is not registered here but by the first text that needs it.
    """
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE)


@functools.cache
def _dejavu_coverage() -> frozenset[int]:
    """Code points every DejaVu face has a glyph for, so bold or oblique text never prints a box."""
    register_fonts()
    sets = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FACES]
    return frozenset(set.intersection(*sets))


@functools.cache
def _cjk_coverage() -> Container[int]:
    """Code points the CJK font has a glyph for (its own table, not a copy of its 33,000 entries).
    Registers the font, once per process: called only when a text has a CJK character in it."""
    font = TTFont(CJK, str(resource_path("fonts", _CJK_FILE)))
    pdfmetrics.registerFont(font)
    # One face: <b> and <i> around CJK text in a Paragraph keep it instead of failing.
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
    return font.face.charToGlyph


def _is_cjk(cp: int) -> bool:
    """Han, kana, Hangul, and CJK punctuation, fullwidth, enclosed and compatibility characters."""
    return (
        0x3000 <= cp <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0xAC00 <= cp <= 0xD7AF  # Hangul syllables
        or 0x3130 <= cp <= 0x318F  # Hangul compatibility jamo
        or 0x31F0 <= cp <= 0x33FF  # katakana extension, enclosed and compatibility characters
        or 0x3400 <= cp <= 0x4DBF  # CJK Extension A
        or 0xFF00 <= cp <= 0xFF9F  # fullwidth forms, halfwidth katakana
        or 0xFFE0 <= cp <= 0xFFEF  # fullwidth signs
        or 0x1100 <= cp <= 0x11FF  # Hangul jamo
        or 0xF900 <= cp <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= cp <= 0x2FA1F  # CJK Extensions B to F, compatibility supplement
    )


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

    CJK runs carry the name of the CJK font (:data:`CJK`), which is registered by then; characters no
    font covers are already replaced by their visible "[U+XXXX]" substitute (see the module's doc).
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
    runs: list[tuple[str, str | None]] = []
    for ch in text:
        covering = REGULAR if ch == "\n" else _covering_font(ord(ch))
        piece = ch if covering else _substitute(ch)
        font = CJK if covering == CJK else None
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + piece, font)
        else:
            runs.append((piece, font))
    return runs


def _covering_font(cp: int) -> str | None:
    """The font that prints ``cp``: CJK for CJK characters it has, else REGULAR (standing for any DejaVu
    face) if DejaVu has it; None when no font has it."""
    if _is_cjk(cp) and cp in _cjk_coverage():
        return CJK
    if cp in _dejavu_coverage():
        return REGULAR
    return None


def unprintable_characters(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` that no font covers and would print as "[U+XXXX]"."""
    found: dict[str, None] = {}
    for ch in clean_text(text):
        if ch != "\n" and _covering_font(ord(ch)) is None:
            found[ch] = None
    return tuple(found)


@functools.lru_cache(maxsize=8192)
def paragraph_markup(text: str) -> str:
    """Customer or owner text as safe Paragraph markup: escaped, CJK runs in the CJK font, lines kept."""
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
    """Draw one line of text on a canvas, switching to the CJK font where needed. Returns its width."""
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
