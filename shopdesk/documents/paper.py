"""Page sizes the documents print on, in PDF points (1/72 in)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4 as _A4
from reportlab.lib.pagesizes import LETTER as _LETTER
from reportlab.lib.units import inch

LETTER: tuple[float, float] = (float(_LETTER[0]), float(_LETTER[1]))
A4: tuple[float, float] = (float(_A4[0]), float(_A4[1]))
LABEL_4X6: tuple[float, float] = (4 * inch, 6 * inch)
"""A 4×6 in shipping label, portrait, as thermal label printers feed it."""
HALF_LETTER: tuple[float, float] = (5.5 * inch, 8.5 * inch)

PAPER_SIZES: dict[str, tuple[float, float]] = {
    "letter": LETTER,
    "a4": A4,
    "label4x6": LABEL_4X6,
    "half_letter": HALF_LETTER,
}


def page_size(paper: str) -> tuple[float, float]:
    """The (width, height) of a paper named as in the shop profile ("letter", "a4", "label4x6", ...)."""
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPER_SIZES)}") from None


def is_label(paper: str) -> bool:
    """Small label stock: tighter margins, black only (thermal printers cannot print grey well)."""
    return paper == "label4x6"
