"""Text that reaches the page: CJK runs, visible substitution, no Qt in the documents package."""

from __future__ import annotations

import subprocess
import sys

from shopdesk.documents import fonts


def test_chinese_japanese_and_korean_runs_all_get_the_one_cjk_font():
    assert fonts.text_runs("王芳") == [("王芳", fonts.CJK)]
    assert fonts.text_runs("山田 はなこ") == [
        ("山田", fonts.CJK),
        (" ", None),
        ("はなこ", fonts.CJK),
    ]
    assert fonts.text_runs("김민준") == [("김민준", fonts.CJK)]
    assert fonts.text_runs("Zoë Müller") == [("Zoë Müller", None)]


def test_markup_escapes_text_and_wraps_cjk():
    assert (
        fonts.paragraph_markup("A & <b>王</b>\nx")
        == 'A &amp; &lt;b&gt;<font name="DroidSansFallback">王</font>&lt;/b&gt;<br/>x'
    )


def test_uncovered_characters_are_substituted_visibly_never_dropped():
    assert fonts.unprintable_characters("Thread 🧵 ok é") == ("🧵",)
    assert fonts.text_runs("a🧵b") == [("a[U+1F9F5]b", None)]


def test_ideographs_the_cjk_font_lacks_are_substituted_visibly_too():
    # 𠮷 (CJK Extension B), as in the family name 𠮷田: Droid Sans Fallback has no glyph for it.
    assert fonts.unprintable_characters("𠮷田 さくら") == ("𠮷",)
    assert fonts.text_runs("𠮷田") == [("[U+20BB7]", None), ("田", fonts.CJK)]


def test_the_cjk_font_is_read_only_when_a_text_needs_it():
    # Reading the 3.4 MB font takes time that documents without CJK text (and the start-up) never spend.
    code = (
        "from datetime import datetime\n"
        "from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames\n"
        "from shopdesk.documents import fonts\n"
        "from shopdesk.documents.data import PickListEntry, ShopProfile\n"
        "from shopdesk.documents.pick_list import render_pick_list\n"
        "profile = ShopProfile('Thread & Thistle', ('14 Mill Lane',))\n"
        "entry = PickListEntry('BEE-01', 'Zoë’s bee 🐝', 1, ('1041',))\n"
        "render_pick_list([entry], profile, datetime(2026, 11, 22))\n"
        "assert fonts.CJK not in getRegisteredFontNames(), getRegisteredFontNames()\n"
        "render_pick_list([PickListEntry('BEE-01', 'はち', 1, ('1041',))], profile, datetime(2026, 11, 22))\n"
        "assert fonts.CJK in getRegisteredFontNames(), getRegisteredFontNames()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_invisible_marks_are_dropped_and_text_normalised():
    decomposed = "Rene\u0301e\u200d\ufe0f"
    assert fonts.clean_text(decomposed) == "Renée"
    assert fonts.unprintable_characters(decomposed) == ()


def test_fit_to_width_keeps_short_text_and_ellipsises_long_text():
    assert fonts.fit_to_width("Bee", fonts.REGULAR, 8, 100) == "Bee"
    short = fonts.fit_to_width("A very long patch title " * 5, fonts.REGULAR, 8, 100)
    assert short.endswith("…") and fonts.string_width(short, fonts.REGULAR, 8) <= 100


def test_documents_import_no_qt():
    code = (
        "import sys\n"
        "import shopdesk.documents.packing_slip, shopdesk.documents.return_label, shopdesk.documents.pick_list\n"
        "import shopdesk.documents.shelf_labels, shopdesk.documents.apology_note\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'shiboken'))], sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
