"""Oversized input: a 200 MB file, a million-line export, a 1 MB value.

Each is refused with a message naming the file (and the line and column), after reading no more of
it than it takes to tell; nothing of it is written, and the other files of the same import still
import. Peak memory is measured in a child process, against the same child importing a small file.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shop_files import (
    NARROW_SHOPIFY_HEADER,
    narrow_shopify_export,
    narrow_shopify_row,
    sparse_file,
)
from sqlalchemy import select

from shopdesk.db.models import Order
from shopdesk.importers import reading
from shopdesk.importers.errors import ImportRefused
from shopdesk.importers.reading import MAX_FILE_BYTES, MAX_RECORDS, MAX_VALUE_CHARS, read_file, read_table
from shopdesk.importers.service import import_files

HUGE_BYTES = 200_000_000
MILLION = 1_000_000
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


@pytest.fixture(scope="module")
def million_line_export(tmp_path_factory):
    """A million one-line Shopify orders with only the columns ShopDesk needs: 60 MB, under the
    size limit, so that it is the number of records that is refused."""
    path = narrow_shopify_export(tmp_path_factory.mktemp("million") / "orders_export.csv", MILLION)
    assert path.stat().st_size < MAX_FILE_BYTES
    yield path
    path.unlink()


@pytest.fixture(autouse=True)
def _no_big_file_left(tmp_path):
    """The files made here are big: none is left behind in the kept temporary folders."""
    yield
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.stat().st_blocks * 512 > 1_000_000:
            path.unlink()


def _refusal(path) -> list:
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    return refused.value.problems


def _export_with(tmp_path, *rows: str, name: str = "orders_export.csv", newline: str = "\n"):
    path = tmp_path / name
    text = NARROW_SHOPIFY_HEADER + narrow_shopify_row(1) + narrow_shopify_row(2) + "".join(rows)
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


# A file far larger than any export


def test_a_200_mb_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = sparse_file(tmp_path / "orders_export_1.csv", HUGE_BYTES)

    [problem] = _refusal(path)

    # Past its header the file is zero bytes: had it been read, it would be refused as binary.
    assert (problem.file, problem.line, problem.column) == ("orders_export_1.csv", None, None)
    assert problem.message.startswith("The file is 200 MB, and ShopDesk reads exports of up to 100 MB")
    assert "export a shorter date range" in problem.message


def test_a_file_of_exactly_the_largest_size_is_read(tmp_path):
    path = sparse_file(tmp_path / "orders_export_1.csv", MAX_FILE_BYTES)

    [problem] = _refusal(path)

    assert "not a CSV file" in problem.message  # read (its first 8 KB), not refused for its size


# More records than any export


def test_a_million_line_export_is_refused_at_the_first_record_past_the_limit(million_line_export):
    [problem] = _refusal(million_line_export)

    assert (problem.file, problem.line) == ("orders_export.csv", MAX_RECORDS + 2)  # the header is line 1
    assert "more than 200,000 records" in problem.message
    assert "Export a shorter date range" in problem.message


def test_records_are_counted_not_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_RECORDS", 3)
    note = '"two\nlines"'
    path = _export_with(tmp_path, "\n", narrow_shopify_row(3, note))

    table = read_file(path)  # 6 lines, more than 3: counted first, then kept

    assert [record.line for record in table.records] == [2, 3, 5]
    path = _export_with(tmp_path, narrow_shopify_row(3, note), narrow_shopify_row(4, note))
    [problem] = _refusal(path)
    assert problem.line == 6


# A value far longer than any value of an export

MB_OF_X = "x" * 1_000_000


@pytest.mark.parametrize(
    ("note", "size"),
    [
        pytest.param(f'"{MB_OF_X}"', "1.0 MB", id="quoted"),
        pytest.param(MB_OF_X, "1.0 MB", id="unquoted"),
        pytest.param('"' + 'say ""hi""\n' * 100_000 + '"', "900 KB", id="over many lines"),
        pytest.param('"' + "y" * 200_000 + '"', "200 KB", id="past the csv module's own limit"),
        pytest.param("z" * (MAX_VALUE_CHARS + 1), "100 KB", id="just past ShopDesk's limit"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_long_value_is_refused_with_its_line_column_and_size(tmp_path, note, size, newline):
    path = _export_with(tmp_path, narrow_shopify_row(3, note), narrow_shopify_row(4), newline=newline)

    [problem] = _refusal(path)

    assert (problem.file, problem.line, problem.column) == ("orders_export.csv", 4, "Notes")
    assert problem.message.startswith(f"This value is {size} long;")
    assert "the file is damaged or is not an order export" in problem.message
    assert problem.value == note.strip('"').replace('""', '"')[:40] + "…"


def test_a_long_value_is_named_by_its_column_wherever_it_is(tmp_path):
    row = narrow_shopify_row(3).replace("Red Rose Patch", MB_OF_X)
    path = _export_with(tmp_path, row, newline="\r\n")
    path.write_bytes(path.read_bytes().rstrip())  # the last line without a line end

    [problem] = _refusal(path)

    assert (problem.line, problem.column) == (4, "Lineitem name")
    assert "This value is 1.0 MB long" in problem.message


def test_a_value_of_exactly_the_longest_length_is_read():
    data = b"a,b\n1," + b"x" * MAX_VALUE_CHARS + b"\n"

    assert len(read_table(data, "f.csv").records[0].values[1]) == MAX_VALUE_CHARS
    with pytest.raises(ImportRefused, match="This value is 100 KB long"):
        read_table(data.replace(b"x", b"xx", 1), "f.csv")


def test_a_record_of_a_million_short_values_is_refused_as_too_long(tmp_path):
    path = _export_with(tmp_path, "a," * 600_000 + "\n")

    [problem] = _refusal(path)

    assert (problem.line, problem.column) == (4, None)
    assert problem.message.startswith("This record is more than 1.0 MB long")


def test_a_quote_that_never_ends_is_told_from_a_long_value(tmp_path):
    # The rest of the file (2 MB) would be one value: it is the quote that is wrong.
    path = _export_with(tmp_path, narrow_shopify_row(3, '"Leave it at the door'))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(narrow_shopify_row(number) for number in range(4, 40_000)))

    [problem] = _refusal(path)

    assert (problem.line, problem.column) == (4, "Notes")
    assert "A quoted value starts on this line and never ends" in problem.message


def test_a_long_note_as_buyers_write_them_still_imports(db, tmp_path):
    note = ('Please stitch “RIDER, Est. 1987” in gold; "thin" letters, like last time.\n' * 600).strip()
    assert len(note) > 40_000  # ten times any real note
    cell = io.StringIO()
    csv.writer(cell, lineterminator="").writerow([note])
    path = _export_with(tmp_path, narrow_shopify_row(3, cell.getvalue()), newline="\r\n")

    [result] = import_files(db, [path])

    assert result.imported and result.new == 3
    with db.reading() as session:
        assert session.scalar(select(Order.buyer_note).where(Order.number == "#3")) == note


# Nothing written, the other files imported


def test_refused_files_write_nothing_and_the_others_import(
    db, tmp_path, samples, snapshot, million_line_export
):
    import_files(db, [samples / "shopify/orders_export_1.csv"])
    huge = sparse_file(tmp_path / "huge.csv", HUGE_BYTES)
    cell = _export_with(tmp_path, narrow_shopify_row(3, MB_OF_X), name="cell.csv")
    before = snapshot(db)

    refused = import_files(db, [huge, million_line_export, cell])

    assert [(result.name, result.imported, result.new) for result in refused] == [
        ("huge.csv", False, 0),
        ("orders_export.csv", False, 0),
        ("cell.csv", False, 0),
    ]
    assert snapshot(db) == before

    results = import_files(db, [huge, samples / "squarespace/orders.csv", cell])

    assert [(result.imported, result.new) for result in results] == [(False, 0), (True, 4), (False, 0)]
    with db.reading() as session:
        sources = list(session.scalars(select(Order.source).order_by(Order.id)))
    assert sources == ["shopify"] * 8 + ["squarespace"] * 4


# Memory and time, measured in a child process

_CHILD = """
import json, resource, sys, time
from shopdesk.app import open_shop
from shopdesk.importers.service import import_files
db = open_shop(sys.argv[1])
started = time.perf_counter()
results = import_files(db, sys.argv[2:])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(json.dumps({"peak": peak, "seconds": seconds, "imported": [r.imported for r in results],
                  "problems": [str(p)[:200] for r in results for p in r.problems]}))
"""


def _import_in_a_child(tmp_path, path) -> dict:
    pytest.importorskip("resource")
    shop = tmp_path / "child.db"
    for old in tmp_path.glob("child.db*"):
        old.unlink()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(shop), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def small_import_peak(tmp_path_factory) -> int:
    """The child's peak memory importing a 2 KB export: the interpreter, SQLAlchemy, a database."""
    child = _import_in_a_child(tmp_path_factory.mktemp("small"), SAMPLES / "squarespace/orders.csv")
    assert child["imported"] == [True]
    return child["peak"]


def _made(case: str, tmp_path, million_line_export):
    if case == "200 MB file":
        return sparse_file(tmp_path / "orders_export.csv", HUGE_BYTES)
    if case == "million-line export":
        return million_line_export
    path = _export_with(tmp_path)
    with path.open("a", encoding="utf-8") as handle:
        if case == "30 MB value on one line":
            handle.write(narrow_shopify_row(3, "v" * 30_000_000))
        else:  # a quote that never ends, then 30 MB of orders
            handle.write(narrow_shopify_row(3, '"Leave it at the door'))
            for first in range(4, 500_000, 10_000):
                handle.write("".join(narrow_shopify_row(n) for n in range(first, first + 10_000)))
    return path


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("200 MB file", "The file is 200 MB"),
        ("million-line export", "line 200002: The file holds more than 200,000 records"),
        ("30 MB value on one line", 'line 4, column "Notes" "vvv'),
        ("quote that never ends, 30 MB on", 'line 4, column "Notes": A quoted value starts'),
    ],
)
def test_refusing_oversized_input_takes_little_memory_and_time(
    tmp_path, million_line_export, small_import_peak, case, words
):
    path = _made(case, tmp_path, million_line_export)

    child = _import_in_a_child(tmp_path, path)

    extra = (child["peak"] - small_import_peak) / 1e6
    print(f"\n{case}: refused in {child['seconds']:.2f} s, peak memory {extra:+.0f} MB over a small import")
    assert child["imported"] == [False]
    assert words in child["problems"][0]
    # Reading the whole file would take at least its size (30 to 200 MB) and several times that
    # as text and records; refusing it takes a few MB.
    assert extra < 50, f"refusing the {case} took {extra:.0f} MB more than a small import"
    # Importing the million orders took over a minute; refusing them takes well under a second.
    assert child["seconds"] < 20


# Reading in blocks: the same table, whatever the block size

_TEXT = st.text(alphabet='ab ,"\n\ré€', max_size=12)


@st.composite
def csv_files(draw):
    rows = draw(st.lists(st.lists(_TEXT, min_size=3, max_size=3), min_size=1, max_size=6))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(
        [["a", "b", "c"], *rows]
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return out.getvalue().encode(encoding)


def _outcome(data: bytes):
    """The table read, or the problems (line, column, value, message) that refused it."""
    try:
        table = read_table(data, "f.csv")
    except ImportRefused as refused:
        return [(p.line, p.column, p.value, p.message) for p in refused.problems]
    return table.header, [(record.line, record.values) for record in table.records], table.encoding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_files(), block=st.integers(1, 40))
def test_any_block_size_reads_the_same(data, block):
    whole = _outcome(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "_BLOCK_BYTES", block)
        assert _outcome(data) == whole


# The long value found, whichever way it is found (the CSV reader's record, or measuring)

_LIMIT, _RECORD_LIMIT = 20, 150


def _expected_problem(rows: list[list[str]]) -> tuple[int, str | None, str | None] | None:
    """(line, column, value shown) of the first value over the limit, or of a record too long."""
    line = 1
    for row in rows:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(row)
        written = 0
        for position, value in enumerate(row):
            if len(value) > _LIMIT:
                return line, ["a", "b", "c"][position] if line > 1 else None, value[:40] + "…"
            written += len(value) + 1
            if written > _RECORD_LIMIT:
                return line, None, None
        if len(text.getvalue()) > _RECORD_LIMIT:
            return line, None, None
        line += text.getvalue().count("\n")
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(st.text(alphabet='ab ,"\né', max_size=40), min_size=3, max_size=3), max_size=5),
    block=st.integers(1, 40),
)
def test_the_first_long_value_is_found_with_its_column(rows, block):
    rows = [["a", "b", "c"], *rows]
    data = io.StringIO()
    csv.writer(data, lineterminator="\n").writerows(rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "MAX_VALUE_CHARS", _LIMIT)
        patch.setattr(reading, "_MAX_RECORD_CHARS", _RECORD_LIMIT)
        patch.setattr(reading, "_BLOCK_BYTES", block)
        outcome = _outcome(data.getvalue().encode("utf-8"))

    expected = _expected_problem(rows)
    if expected is None:
        assert not isinstance(outcome, list) or not any(" long" in problem[3] for problem in outcome)
        return
    line, column, value = expected
    [(found_line, found_column, found_value, message)] = outcome
    assert (found_line, found_column, found_value) == (line, column, value)
    assert message.startswith("This value is" if value is not None else "This record is more than")
