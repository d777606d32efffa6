"""Pieces every document shares: type scale, colours, the shop's letterhead, dates, PDF metadata."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, TableStyle

from shopdesk import __version__
from shopdesk.documents import fonts
from shopdesk.documents.data import ShopProfile
from shopdesk.documents.errors import DocumentError
from shopdesk.documents.paper import is_label

CREATOR = f"ShopDesk {__version__}"


@dataclass(frozen=True)
class Look:
    """Sizes and colours for one paper. Labels are small and printed by thermal printers: black only."""

    margin: float
    body: float
    small: float
    heading: float
    big: float
    ink: colors.Color
    muted: colors.Color
    rule: colors.Color
    alert: colors.Color
    tint: colors.Color

    @classmethod
    def for_paper(cls, paper: str) -> Look:
        if is_label(paper):
            black = colors.black
            return cls(
                margin=0.17 * inch, body=8, small=6.8, heading=10.5, big=14,
                ink=black, muted=black, rule=black, alert=black, tint=colors.white,
            )  # fmt: skip
        return cls(
            margin=0.6 * inch, body=10, small=8.5, heading=13, big=20,
            ink=colors.black, muted=colors.HexColor("#505050"), rule=colors.HexColor("#A0A0A0"),
            alert=colors.HexColor("#A1141C"), tint=colors.HexColor("#F2F2F2"),
        )  # fmt: skip

    def style(
        self,
        size: float | None = None,
        *,
        bold: bool = False,
        italic: bool = False,
        color: colors.Color | None = None,
        align: str = "left",
        leading: float | None = None,
        space_after: float = 0,
    ) -> ParagraphStyle:
        """A paragraph style. The same arguments give the same (shared) style: never change it."""
        size = size or self.body
        return _paragraph_style(
            size, bold, italic, color or self.ink, align, leading or size * 1.28, space_after
        )

    def caption(self, align: str = "left") -> ParagraphStyle:
        """Small bold capitals over a block ("SHIP TO", "ITEMS")."""
        return _paragraph_style(
            self.small, True, False, self.muted, align, self.small * 1.28, 0, name=f"caption-{align}"
        )


# A batch of slips asks for the same few styles thousands of times.
@functools.lru_cache(maxsize=256)
def _paragraph_style(
    size: float,
    bold: bool,
    italic: bool,
    color: colors.Color,
    align: str,
    leading: float,
    space_after: float,
    name: str | None = None,
) -> ParagraphStyle:
    fonts.register_fonts()
    face = {
        (False, False): fonts.REGULAR,
        (True, False): fonts.BOLD,
        (False, True): fonts.OBLIQUE,
        (True, True): fonts.BOLD_OBLIQUE,
    }[(bold, italic)]
    return ParagraphStyle(
        name=name or f"{face}-{size}-{align}",
        fontName=face,
        fontSize=size,
        leading=leading,
        textColor=color,
        alignment={"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align],
        spaceAfter=space_after,
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (escaped; CJK and unprintable characters handled by ``fonts``)."""
    return markup_para(fonts.paragraph_markup(text), style)


def markup_para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of markup; the markup is parsed once per style, however often it is printed."""
    return _SharedParagraph(markup, style, frags=_parsed(markup, style), key=(markup, style))


class _SharedParagraph(Paragraph):
    """A Paragraph whose line breaking is done once per (markup, style, width), not at every wrap.

    A table wraps each of its paragraphs two or three times, and a batch of slips prints the same
    captions, shop details and thank-you on every page. ``breakLines`` only depends on the
    paragraph's fragments, style and widths; what it returns and the attributes it sets are kept
    and handed to the next paragraph that asks with the same key.
    """

    def __init__(
        self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8", key=None
    ):
        # ReportLab's own signature: splitting a paragraph across pages makes the two halves with
        # ``self.__class__(None, style, bulletText=..., frags=...)``; those have no key of their own.
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._key = key

    def breakLines(self, width):
        if self._key is None:
            return super().breakLines(width)
        key = (*self._key, tuple(width) if isinstance(width, list) else width)
        known = _broken_lines.get(key)
        if known is None:
            lines = super().breakLines(width)
            known = (
                lines,
                self.frags,
                self.height,
                self._width_max,
                self._splitLongWordCount,
                self._hyphenations,
            )
            if len(_broken_lines) >= _BROKEN_LINES_KEPT:
                _broken_lines.clear()
            _broken_lines[key] = known
        else:
            (
                lines,
                self.frags,
                self.height,
                self._width_max,
                self._splitLongWordCount,
                self._hyphenations,
            ) = known
        return lines


_BROKEN_LINES_KEPT = 8192
_broken_lines: dict[tuple, tuple] = {}


@functools.lru_cache(maxsize=4096)
def _parsed(markup: str, style: ParagraphStyle) -> list:
    """ReportLab's parse of ``markup`` (its fragments), which Paragraph only reads afterwards."""
    return Paragraph(markup, style).frags


def lines_para(lines: tuple[str, ...] | list[str], style: ParagraphStyle) -> Paragraph:
    return para("\n".join(lines), style)


def format_date(value: date) -> str:
    """ "22 Nov 2026": day, month name, year reads the same to US and European customers."""
    return f"{value.day} {value:%b %Y}"


def format_datetime(value: datetime) -> str:
    return f"{format_date(value)} {value:%H:%M}"


def logo(profile: ShopProfile, max_width: float, max_height: float) -> Flowable | None:
    """The shop's logo scaled to fit the box, keeping its proportions; None when there is no logo."""
    fitted = fitted_logo(profile, max_width, max_height)
    if fitted is None:
        return None
    _reader, width, height = fitted
    image = Image(str(profile.logo_path), width=width, height=height)
    image.hAlign = "LEFT"
    return image


def fitted_logo(
    profile: ShopProfile, max_width: float, max_height: float
) -> tuple[ImageReader, float, float] | None:
    """The shop's logo read once, with the size that fits the box keeping its proportions (for
    documents drawn straight on a canvas); None when there is no logo."""
    if profile.logo_path is None:
        return None
    try:
        reader = ImageReader(str(profile.logo_path))
        width, height = reader.getSize()
    except Exception as exc:
        raise DocumentError(
            f"the shop logo {profile.logo_path} cannot be read ({exc}); choose another image or remove "
            "the logo in the shop settings"
        ) from exc
    scale = min(max_width / width, max_height / height)
    return reader, width * scale, height * scale


def doc_options(title: str, profile: ShopProfile, subject: str = "") -> dict[str, str]:
    """Keyword arguments for a DocTemplate: the PDF's title, author (the shop) and creator.

    The canvas starts in DejaVu Sans, so the PDF does not even list ReportLab's default Helvetica.
    """
    fonts.register_fonts()
    return {
        "title": title,
        "author": profile.name,
        "subject": subject,
        "creator": CREATOR,
        "initialFontName": fonts.REGULAR,
    }


def new_canvas(buffer, pagesize: tuple[float, float], title: str, profile: ShopProfile, subject: str = ""):
    """A canvas for documents drawn directly (labels), with the same metadata as the others."""
    fonts.register_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, initialFontName=fonts.REGULAR)
    set_canvas_metadata(canvas, title, profile, subject)
    return canvas


def set_canvas_metadata(canvas: Canvas, title: str, profile: ShopProfile, subject: str = "") -> None:
    canvas.setTitle(title)
    canvas.setAuthor(profile.name)
    canvas.setSubject(subject)
    canvas.setCreator(CREATOR)


def grid_style(commands: list[tuple]) -> TableStyle:
    """A TableStyle whose cells default to DejaVu Sans (ReportLab's default would add Helvetica)."""
    fonts.register_fonts()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


@dataclass(frozen=True)
class Sheet:
    """A plain sheet document (pick list, report): its look, usable width, and the footer that
    names the shop and the document and numbers the page."""

    doc: object
    look: Look
    frame_width: float
    footer: object

    def build(self, story: list[Flowable]) -> None:
        self.doc.build(story, onFirstPage=self.footer, onLaterPages=self.footer)


def sheet(buffer, paper: str, profile: ShopProfile, title: str, subject: str = "") -> Sheet:
    from reportlab.platypus import SimpleDocTemplate

    from shopdesk.documents.paper import page_size

    width, height = page_size(paper)
    look = Look.for_paper(paper)
    margin = look.margin

    def footer(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFillColor(look.muted)
        fonts.draw_string(
            canvas, margin, margin * 0.6, f"{profile.name} · {title}", fonts.REGULAR, look.small
        )
        fonts.draw_string(
            canvas, width - margin, margin * 0.6, f"page {canvas.getPageNumber()}", fonts.REGULAR, look.small,
            anchor="end",
        )  # fmt: skip
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer, pagesize=(width, height),
        leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin + 0.2 * inch,
        **doc_options(title, profile, subject=subject),
    )  # fmt: skip
    return Sheet(doc, look, width - 2 * margin, footer)
