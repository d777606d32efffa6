"""Text wrapped by hand, on its own: where lines break, what is kept, and columns split at a page's end."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import black

from shopdesk.documents import fonts
from shopdesk.documents.text_wrap import (
    Line,
    column_height,
    joined_parts,
    one_line,
    split_column,
    wrap_text,
)


@pytest.fixture(autouse=True)
def registered_fonts() -> None:
    fonts.register_fonts()


def texts(lines: tuple[Line, ...]) -> list[str]:
    return ["".join(text for text, _font in line.runs) for line in lines]


def test_text_that_fits_is_one_line_of_its_measured_width():
    (line,) = wrap_text("Sleepy Fox patch", fonts.BOLD, 10, 200, black)
    assert line.runs == (("Sleepy Fox patch", fonts.BOLD),)
    assert line.width == fonts.string_width("Sleepy Fox patch", fonts.BOLD, 10)
    assert (line.size, line.leading, line.color) == (10, 12.8, black)


def test_lines_break_at_spaces_within_the_width_and_drop_the_spaces_there():
    lines = wrap_text("one two  three four five six", fonts.REGULAR, 10, 60, black)
    assert texts(lines) == ["one two", "three four", "five six"]
    assert all(line.width <= 60 for line in lines)


def test_line_breaks_in_the_text_are_kept_and_trailing_ones_dropped():
    assert texts(wrap_text("a\n\nb\n", fonts.REGULAR, 10, 60, black)) == ["a", "", "b"]


def test_empty_text_has_no_lines_but_one_line_still_takes_its_height():
    assert wrap_text("", fonts.REGULAR, 10, 60, black) == ()
    empty = one_line("", fonts.REGULAR, 10, black)
    assert (empty.runs, empty.width, empty.leading) == ((), 0.0, 12.8)


def test_one_line_never_wraps():
    text = " ".join(f"word{i}" for i in range(40))
    assert texts((one_line(text, fonts.REGULAR, 10, black),)) == [text]


def test_a_word_wider_than_the_line_is_broken_between_letters_never_cut():
    word = "abcdefghijklmnopqrstuvwxyz"
    lines = wrap_text(word, fonts.REGULAR, 10, 40, black)
    assert len(lines) > 1 and "".join(texts(lines)) == word
    assert all(line.width <= 40 for line in lines)


def test_cjk_breaks_between_characters_in_its_font_never_before_closing_punctuation():
    wish = "お誕生日おめでとう、ゆきちゃん。" * 3
    lines = wrap_text(wish, fonts.REGULAR, 10, 50, black)
    assert len(lines) > 3 and "".join(texts(lines)) == wish
    assert {font for line in lines for _text, font in line.runs} == {fonts.CJK}
    assert not [text for text in texts(lines) if text.startswith(("、", "。"))]


def test_a_prefix_keeps_its_own_font():
    (line,) = wrap_text(
        "Renée", fonts.REGULAR, 10, 500, black, prefix="Personalization: ", prefix_font=fonts.BOLD
    )
    assert line.runs == (("Personalization: ", fonts.BOLD), ("Renée", fonts.REGULAR))


def test_joined_parts_break_between_parts_not_inside_one():
    parts = ("hello@threadandthistle.com", "+1 503 555 0142", "threadandthistle.com")
    # Wrapped as one text, the phone number would be cut in two.
    assert texts(wrap_text("  ·  ".join(parts), fonts.REGULAR, 8, 140, black))[0].endswith("+1")

    assert texts(joined_parts(parts, "  ·  ", fonts.REGULAR, 8, 140, black, 10)) == list(parts)
    lines = joined_parts(parts, "  ·  ", fonts.REGULAR, 8, 200, black, 10)
    assert texts(lines) == ["hello@threadandthistle.com  ·  +1 503 555 0142", "threadandthistle.com"]
    assert {line.leading for line in lines} == {10}


def test_a_column_splits_after_the_last_line_that_fits_and_drops_the_gap_there():
    a, b = wrap_text("a", fonts.REGULAR, 10, 50, black) + wrap_text("b", fonts.REGULAR, 10, 50, black)
    column = (a, 5.0, b)
    assert column_height(column) == pytest.approx(30.6)
    assert split_column(column, 13) == ((a,), (b,))
    assert split_column(column, 100) is None  # everything fits
    assert split_column(column, 5) is None  # not even the first line fits
