"""Chinese, Japanese and Korean text in every kind of document: the CJK font is embedded (a small
subset), the text reads back as typed, and pdfium — which ShopDesk's preview and printing use — draws it
on a machine without any CJK font of its own."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from document_samples import CHECKED_AT, make_slip
from readback import flat, font_files, ink_in_text, pdf_text
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from shopdesk.documents.apology_note import render_apology_note
from shopdesk.documents.data import (
    Address,
    ApologyNoteData,
    CheckStamp,
    PickListEntry,
    ReturnItem,
    ReturnLabelData,
    ShelfLabel,
    SlipLine,
)
from shopdesk.documents.packing_slip import render_packing_slips
from shopdesk.documents.pick_list import render_pick_list
from shopdesk.documents.return_label import render_return_label
from shopdesk.documents.shelf_labels import render_shelf_labels

NAMES = ("山田太郎", "さくら", "김민준")


def _slip(profile, paper):
    lines = (
        SlipLine("NAME-JP", "Name patch", 1, "Size: 3 in", personalization="さくら"),
        SlipLine("NAME-KR", "Name patch", 2, personalization="김민준"),
        SlipLine("LUCK-CN", "Lucky patch", 1, personalization="福如东海"),
    )
    slip = make_slip(name="山田太郎", lines=lines, check=CheckStamp.by_scan(4, 4, CHECKED_AT))
    return render_packing_slips([slip], profile, paper)


def _return_label(profile, paper):
    sender = Address("山田太郎", "神宮前1-2-3", "さくらハイツ 201", "渋谷区", "東京都", "150-0001", "Japan")
    items = (ReturnItem("NAME-KR", "김민준 name patch", 1), ReturnItem("FOX-03-IR", "Sleepy Fox patch"))
    data = ReturnLabelData("RMA-2026-0008", sender, items, "1042")
    return render_return_label(data, profile, paper)


def _pick_list(profile, paper):
    entries = [
        PickListEntry("NAME-JP", "山田太郎 name tag", 1, ("1042",), "B1"),
        PickListEntry("SAKURA-S", "さくら patch", 2, ("1042", "1043")),
        PickListEntry("NAME-KR", "김민준 name patch", 1, ("1044",), "B2"),
    ]
    return render_pick_list(entries, profile, datetime(2026, 11, 22, 9, 5), paper)


def _apology_note(profile, paper):
    body = "山田太郎 様、さくら the patch was sewn crooked.\n\n김민준 will check the next one twice."
    return render_apology_note(ApologyNoteData("山田太郎", "1042", "1042-R1", body), profile, paper)


def _shelf_labels(profile, paper):
    labels = [ShelfLabel(f"NAME-{n}", title) for n, title in enumerate((*NAMES, "Sleepy Fox patch"))]
    return render_shelf_labels(labels, profile, paper=paper)


DOCUMENTS = [
    pytest.param(_slip, "letter", id="slip-letter"),
    pytest.param(_slip, "label4x6", id="slip-4x6"),
    pytest.param(_return_label, "label4x6", id="return-label-4x6"),
    pytest.param(_return_label, "letter", id="return-label-letter"),
    pytest.param(_pick_list, "letter", id="pick-list"),
    pytest.param(_apology_note, "half_letter", id="apology-note"),
    pytest.param(_shelf_labels, "letter", id="shelf-labels"),
]


@pytest.mark.parametrize(("render", "paper"), DOCUMENTS)
def test_cjk_text_reads_back_and_its_font_is_embedded(profile, render, paper):
    pdf = render(profile, paper)

    text = flat(pdf_text(pdf))
    for name in NAMES:
        assert name in text
    cjk = {name: file for name, file in font_files(pdf).items() if name.endswith("+DroidSansFallback")}
    assert cjk, font_files(pdf)
    for key, length in cjk.values():
        # The font program itself is in the PDF (TrueType: FontFile2), cut down to the glyphs used:
        # the whole font is 3.4 MB.
        assert key == "/FontFile2"
        assert 0 < length < 40_000


def test_a_slip_with_cjk_names_stays_small(profile):
    latin = render_packing_slips([make_slip()], profile, "letter")
    cjk = _slip(profile, "letter")
    assert len(cjk) - len(latin) < 25_000, (len(latin), len(cjk))


# Run in a child process: pdfium then sees none of this machine's fonts, as on a bare Linux, so what it
# draws comes from the PDF alone. Prints the share of dark pixels over each (file, text).
_INK_WITHOUT_SYSTEM_FONTS = """
import json, sys
import pypdfium2.raw
pypdfium2.raw.FPDF_SetSystemFontInfo(None)
sys.path.insert(0, sys.argv[1])
from readback import ink_in_text
cases = json.loads(sys.argv[2])
print(json.dumps([ink_in_text(open(path, "rb").read(), text) for path, text in cases]))
"""


def _ink_without_system_fonts(cases: list[tuple[Path, str]]) -> list[float]:
    tests_dir = Path(__file__).resolve().parents[2]
    args = json.dumps([(str(path), text) for path, text in cases])
    result = subprocess.run(
        [sys.executable, "-c", _INK_WITHOUT_SYSTEM_FONTS, str(tests_dir), args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def _referenced_cid_font_pdf(text: str) -> bytes:
    """``text`` in one of ReportLab's Adobe Asian CID fonts, which a PDF names but does not embed."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 100))
    canvas.setFont("HeiseiKakuGo-W5", 24)
    canvas.drawString(20, 40, text)
    canvas.save()
    return buffer.getvalue()


def test_pdfium_draws_cjk_names_without_any_cjk_font_on_the_machine(profile, tmp_path):
    documents = {
        "slip": _slip(profile, "letter"),
        "label": _slip(profile, "label4x6"),
        "return": _return_label(profile, "label4x6"),
        "pick": _pick_list(profile, "letter"),
        # The control: a font the PDF only names prints blank there, or this test would prove nothing.
        "referenced": _referenced_cid_font_pdf("山田太郎"),
    }
    for name, pdf in documents.items():
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
    cases = [
        *((tmp_path / f"{name}.pdf", text) for name in ("slip", "label", "return", "pick") for text in NAMES),
        (tmp_path / "slip.pdf", "福如东海"),
    ]
    *embedded, control = _ink_without_system_fonts([*cases, (tmp_path / "referenced.pdf", "山田太郎")])

    assert control == 0
    for (path, text), ink in zip(cases, embedded, strict=True):
        # Glyphs cover a good part of their box (about a fifth for a name; blank is 0).
        assert ink > 0.05, (path.name, text, ink)
    # The same measure in this process, with the machine's fonts, agrees: the PDF alone decides.
    slip = documents["slip"]
    assert ink_in_text(slip, "山田太郎") == pytest.approx(embedded[0], abs=0.01)
