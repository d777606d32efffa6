"""Turning the bytes of an export into a table of text, the way the platforms and Excel write them.

Files come as UTF-8, UTF-8 with a byte-order mark, or Windows-1252 after a trip through Excel,
with LF or CRLF line ends. A real CSV reader is used because quoted fields span lines; every
record keeps the physical line it starts on, so a problem can be pointed at in a text editor.
Every field stays text: zips keep their leading zeros.

A file is read a block at a time, never whole, and input far larger than any export is refused
before it can fill the memory: a file over ``MAX_FILE_BYTES`` before a byte of it is read, one
with more than ``MAX_RECORDS`` records as soon as the next one starts (counted without keeping
them), and a value over ``MAX_VALUE_CHARS`` with its file, line and column.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from shopdesk.importers.errors import ImportRefused, Problem

# Bytes looked at to tell a text file from a binary one.
_SNIFF_BYTES = 8192
_BOM = b"\xef\xbb\xbf"
# Bytes read at a time.
_BLOCK_BYTES = 1 << 20

# The limits: ten times and more what a one-person shop exports, small enough that reading what
# they allow stays within a few hundred MB of memory. A 10,000-order Shopify export is 3.4 MB and
# 17,446 records; the rows of the widest exports (Etsy, Shopify) are 200 to 400 bytes.
# The largest file read at all: room for MAX_RECORDS rows of 500 bytes.
MAX_FILE_BYTES = 100_000_000
# Records (CSV rows, an order taking one per item) in one file: over ten years of a busy shop.
MAX_RECORDS = 200_000
# One value: a buyer's note or a personalisation is a few KB at most.
MAX_VALUE_CHARS = 100_000
# One record, all its values together: about what is held for one record at most.
_MAX_RECORD_CHARS = 1_000_000
# How much of a refused value is shown.
_HEAD_CHARS = 40


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its values in header order and the line of the file it starts on."""

    line: int
    values: tuple[str, ...]
    # Set when parts of a split export are read as one table: the part this record is in.
    file: str = ""


@dataclass
class Table:
    """A whole CSV file as text: header names and records, found by column name, never position."""

    name: str
    header: list[str]
    records: list[Record]
    encoding: str = "utf-8"
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    # The position a tuple of names resolves to (-1: none of them), worked out once per table
    # rather than once per cell.
    _positions: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for position, name in enumerate(self.header):
            self._index.setdefault(_key(name), position)

    def position(self, names: tuple[str, ...]) -> int:
        """The index of the first of ``names`` the file has (any case), or -1."""
        position = self._positions.get(names)
        if position is None:
            position = -1
            for name in names:
                found = self._index.get(_key(name))
                if found is not None:
                    position = found
                    break
            self._positions[names] = position
        return position

    def column(self, *names: str) -> str | None:
        """The file's own spelling of the first of ``names`` it has (any case), or None."""
        for name in names:
            position = self._index.get(_key(name))
            if position is not None:
                return self.header[position]
        return None

    def has(self, *names: str) -> bool:
        return self.column(*names) is not None

    def rows(self) -> Iterator[Row]:
        for record in self.records:
            yield Row(self, record)

    def __len__(self) -> int:
        return len(self.records)


class Row:
    """A record read by column name: ``row["Ship City", "Delivery City"]`` takes the first present."""

    __slots__ = ("_positions", "_values", "record", "table")

    def __init__(self, table: Table, record: Record) -> None:
        self.table = table
        self.record = record
        # Read for every cell of a large file: one attribute each, no calls on the way.
        self._positions = table._positions
        self._values = record.values

    @property
    def line(self) -> int:
        return self.record.line

    def get(self, *names: str) -> str:
        position = self._positions.get(names)
        if position is None:
            position = self.table.position(names)
        return self._values[position] if position >= 0 else ""

    __getitem__ = get

    def __call__(self, *names: str) -> str:
        position = self._positions.get(names)
        if position is None:
            position = self.table.position(names)
        return self._values[position].strip() if position >= 0 else ""

    def column(self, *names: str) -> str:
        return self.table.column(*names) or names[0]


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def read_file(path: str | Path) -> Table:
    """Read an export from disk; a missing, unreadable or far too large file is refused with the reason."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return _read(handle, path.name, os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        raise ImportRefused([Problem(path.name, f"The file is not there any more: {path}")]) from None
    except IsADirectoryError:
        raise ImportRefused([Problem(path.name, "This is a folder, not a file.")]) from None
    except OSError as exc:
        raise ImportRefused([Problem(path.name, f"The file cannot be read: {exc.strerror}.")]) from exc


def read_table(data: bytes, name: str) -> Table:
    """Parse CSV bytes into a ``Table``, or refuse them with a message that says what is wrong."""
    return _read(io.BytesIO(data), name, len(data))


def _read(handle: BinaryIO, name: str, size: int) -> Table:
    if size > MAX_FILE_BYTES:
        raise ImportRefused([_too_big(name, size)])
    head = handle.read(_SNIFF_BYTES)
    if not head.strip() and len(head) < _SNIFF_BYTES:
        raise ImportRefused(
            [Problem(name, "The file is empty. Export the orders again and import the new file.")]
        )
    if _looks_binary(head):
        raise ImportRefused(
            [
                Problem(
                    name,
                    "This is not a CSV file (it holds binary data, like a picture or a spreadsheet "
                    "saved as .xlsx). Export the orders as CSV, or in Excel use Save As → CSV.",
                )
            ]
        )
    # A file with more lines than records allowed is counted before it is kept, so that one with
    # far too many is refused without holding any of them.
    count_first = _more_lines_than(handle, MAX_RECORDS)
    encodings = ("utf-8-sig",) if head.startswith(_BOM) else ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            if count_first:
                _parse(handle, name, encoding, keep=False)
            header, records, count = _parse(handle, name, encoding, keep=True)
            break
        except _Undecodable as exc:
            if encoding == encodings[-1]:
                raise _undecodable(name, exc.line) from None
    if header is None:
        raise ImportRefused([Problem(name, "The file is empty. Export the orders again.")])
    if not count:
        raise ImportRefused(
            [
                Problem(
                    name,
                    "The file has column names but no orders. Check the date range of the export "
                    "and export again.",
                    line=2,
                )
            ]
        )
    if not any(header):
        raise ImportRefused([Problem(name, "The first line is empty; it should name the columns.", line=1)])
    return Table(name, [cell.strip() for cell in header], records, encoding)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > max(2, len(head) // 100)


def _more_lines_than(handle: BinaryIO, limit: int) -> bool:
    """Whether the file has more than ``limit`` lines (LF, or CR in an old Mac file), counted fast."""
    handle.seek(0)
    lf = cr = 0
    while block := handle.read(_BLOCK_BYTES):
        lf += block.count(b"\n")
        cr += block.count(b"\r")
        if max(lf, cr) > limit:
            return True
    return False


def _undecodable(name: str, line: int) -> ImportRefused:
    return ImportRefused(
        [
            Problem(
                name,
                "The text is in an encoding ShopDesk cannot read (it expects UTF-8 or Windows-1252). "
                "Export the file again, or save it from a spreadsheet as “CSV UTF-8”.",
                line=line,
            )
        ]
    )


class _Undecodable(Exception):
    """The bytes of this line are not in the encoding being tried."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _TooLong(Exception):
    """One record (or one line) is longer than any record of an order export."""


class _Fed:
    """Characters given to the CSV reader since its last record."""

    __slots__ = ("chars",)

    def __init__(self) -> None:
        self.chars = 0


def _lines(handle: BinaryIO, encoding: str, fed: _Fed) -> Iterator[str]:
    """The file's lines as text, for the CSV reader, read a block at a time.

    Every line end becomes one LF, so that a note with a line break reads the same from a CRLF file
    and line numbers do not move. Raises ``_Undecodable`` with the line of bytes that are not in
    ``encoding``, and ``_TooLong`` before a line would take the text of one record past
    ``_MAX_RECORD_CHARS``: about that much at most is held for one record.
    """
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    handle.seek(len(_BOM) if encoding == "utf-8-sig" else 0)
    line = 1
    carry = b""
    while True:
        block = handle.read(_BLOCK_BYTES)
        data = carry + block
        if block:
            # Up to the last line end whose next byte is known (a CR may be half of a CRLF).
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if not cut:
                # No character takes more than four bytes: this line is too long in characters too.
                if len(data) > 4 * _MAX_RECORD_CHARS:
                    raise _TooLong
                carry = data
                continue
            data, carry = data[:cut], data[cut:]
        elif data:
            carry = b""  # the last line, without a line end
        else:
            return
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            ends = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n")
            raise _Undecodable(line + ends) from None
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        line += text.count("\n")
        for piece in io.StringIO(text, newline=""):
            fed.chars += len(piece)
            if fed.chars > _MAX_RECORD_CHARS:
                raise _TooLong
            yield piece


def _parse(
    handle: BinaryIO, name: str, encoding: str, *, keep: bool
) -> tuple[list[str] | None, list[Record], int]:
    """The header, the records (when ``keep``) and how many there are; refuses what is wrong."""
    fed = _Fed()
    reader = csv.reader(_lines(handle, encoding, fed), strict=True)
    header: list[str] | None = None
    records: list[Record] = []
    count = 0
    problems: list[Problem] = []
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except _TooLong:
            problems.append(_oversized(handle, name, encoding, start, header, too_long=True))
            break
        except csv.Error as exc:
            if "field larger" in str(exc):
                problems.append(
                    _oversized(handle, name, encoding, start, header, too_long=False, reason=str(exc))
                )
            else:
                problems.append(_csv_problem(name, start, str(exc)))
            break
        if fed.chars > MAX_VALUE_CHARS and (problem := _long_value(name, start, header, values)):
            problems.append(problem)
            break
        fed.chars = 0
        if header is None:
            header = values
        # A blank line is skipped; the first value nearly always says at once that it is not one.
        elif values and (values[0].strip() or any(value.strip() for value in values)):
            count += 1
            if count > MAX_RECORDS:
                problems.append(_too_many(name, start))
                break
            if len(values) != len(header):
                problems.append(_width_problem(name, start, len(values), len(header)))
            elif keep:
                records.append(Record(start, tuple(values)))
        start = reader.line_num + 1
    if problems:
        raise ImportRefused(problems)
    return header, records, count


def _csv_problem(name: str, line: int, reason: str) -> Problem:
    if "end of data" in reason:
        return _never_ends(name, line)
    return Problem(
        name,
        f"This line is not valid CSV ({reason}). Export the file again; if it was edited in a "
        "spreadsheet, save it as CSV.",
        line=line,
    )


def _never_ends(name: str, line: int, column: str | None = None) -> Problem:
    return Problem(
        name,
        "A quoted value starts on this line and never ends, so the file is cut short or damaged. "
        "Export it again and import the new file.",
        line=line,
        column=column,
    )


# Oversized input


def _size(count: int) -> str:
    """A size as the owner's file manager shows it: 1.0 MB, 200 MB, 120 KB."""
    if count >= 10_000_000:
        return f"{count / 1_000_000:.0f} MB"
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(count / 1000, 1):.0f} KB"


def _too_big(name: str, size: int) -> Problem:
    return Problem(
        name,
        f"The file is {_size(size)}, and ShopDesk reads exports of up to {_size(MAX_FILE_BYTES)} "
        "(10,000 Shopify orders come to about 3 MB), so none of it was read. If it is an order "
        "export, export a shorter date range, a year at a time, and import each file; if not, "
        "choose the export instead.",
    )


def _too_many(name: str, line: int) -> Problem:
    return Problem(
        name,
        f"The file holds more than {MAX_RECORDS:,} records (the next one starts on this line), and "
        f"ShopDesk imports up to {MAX_RECORDS:,} at a time (10,000 Shopify orders take about "
        "17,000). Export a shorter date range, a year at a time, and import each file.",
        line=line,
    )


def _value_too_long(name: str, line: int, column: str | None, chars: int, head: str) -> Problem:
    return Problem(
        name,
        f"This value is {_size(chars)} long; no value of an order export is ever that long (a note "
        "or a personalisation is a few KB at most), so the file is damaged or is not an order "
        "export. Export the orders again and import the new file.",
        line=line,
        column=column,
        value=head[:_HEAD_CHARS] + "…",
    )


def _column_name(header: list[str] | None, position: int) -> str | None:
    if header is not None and position < len(header):
        return header[position].strip() or None
    return None


def _long_value(name: str, line: int, header: list[str] | None, values: list[str]) -> Problem | None:
    for position, value in enumerate(values):
        if len(value) > MAX_VALUE_CHARS:
            return _value_too_long(name, line, _column_name(header, position), len(value), value)
    return None


def _oversized(
    handle: BinaryIO,
    name: str,
    encoding: str,
    line: int,
    header: list[str] | None,
    *,
    too_long: bool,
    reason: str = "",
) -> Problem:
    """What is too long in the record starting on ``line``, measured without holding it.

    ``too_long``: the record went past ``_MAX_RECORD_CHARS``; else the CSV reader refused a value
    longer than its own limit (``reason``).
    """
    record = _measure_record(_text_from_line(handle, encoding, line))
    column = _column_name(header, record.position)
    if not record.ends:
        return _never_ends(name, line, column)
    if record.value_chars > MAX_VALUE_CHARS:
        return _value_too_long(name, line, column, record.value_chars, record.head)
    if too_long:
        return Problem(
            name,
            f"This record is more than {_size(_MAX_RECORD_CHARS)} long, and a record of an order "
            "export is a few KB, so the file is damaged or is not an order export. Export the "
            "orders again and import the new file.",
            line=line,
        )
    return _csv_problem(name, line, reason)


def _text_from_line(handle: BinaryIO, encoding: str, line: int) -> Iterator[str]:
    """The file's text from the start of ``line`` to its end, a block at a time, line ends as LF."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    skip = line - 1
    pending = ""
    while True:
        block = handle.read(_BLOCK_BYTES)
        text = pending + decoder.decode(block, final=not block)
        pending = ""
        if block and text.endswith("\r"):
            text, pending = text[:-1], "\r"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if skip:
            ends = text.count("\n")
            if ends < skip:
                skip -= ends
                text = ""
            else:
                position = -1
                for _ in range(skip):
                    position = text.index("\n", position + 1)
                text, skip = text[position + 1 :], 0
        if text:
            yield text
        if not block:
            return


@dataclass
class _Measured:
    """One record as the CSV reader splits it: the first value over ``MAX_VALUE_CHARS`` (or, when
    there is none, the last value read), and whether the record ends."""

    position: int = 0
    value_chars: int = 0
    head: str = ""
    # False when a quoted value runs to the end of the file.
    ends: bool = True


_UNQUOTED = re.compile(r"[^,\n]*")
_QUOTED = re.compile(r'(?:[^"]+|"")*')


def _measure_record(chunks: Iterable[str]) -> _Measured:
    """Split one record the way ``csv.reader`` does (commas, double quotes, quotes doubled inside)
    and measure its values, reading the chunks only as far as needed.

    Stops at the end of the first value over ``MAX_VALUE_CHARS``, at the end of the record, or once
    the values read come to more than ``_MAX_RECORD_CHARS`` (so a line of a million empty values is
    not walked value by value).
    """
    measured = _Measured()
    record_chars = 0
    state = "start"  # of a value; or "plain", "quoted", "closed" (a quote closed a quoted value)
    for chunk in chunks:
        at = 0
        while at < len(chunk):
            if state == "quoted":
                match = _QUOTED.match(chunk, at)
                text = match.group()
                _take(measured, text[: 2 * _HEAD_CHARS].replace('""', '"'), len(text) - text.count('""'))
                at = match.end()
                if at < len(chunk):
                    state, at = "closed", at + 1
                continue
            char = chunk[at]
            if char == '"' and state in ("start", "closed"):
                if state == "closed":
                    _take(measured, '"', 1)
                state, at = "quoted", at + 1
            elif char == "," or char == "\n":
                if measured.value_chars > MAX_VALUE_CHARS:
                    return measured
                record_chars += measured.value_chars + 1
                if char == "\n" or record_chars > _MAX_RECORD_CHARS:
                    return measured
                measured.position, measured.value_chars, measured.head = measured.position + 1, 0, ""
                state, at = "start", at + 1
            else:
                match = _UNQUOTED.match(chunk, at)
                _take(measured, match.group(), match.end() - at)
                state, at = "plain", match.end()
    measured.ends = state != "quoted"
    return measured


def _take(measured: _Measured, text: str, chars: int) -> None:
    if len(measured.head) < _HEAD_CHARS:
        measured.head += text[: _HEAD_CHARS - len(measured.head)]
    measured.value_chars += chars


def _width_problem(name: str, line: int, found: int, expected: int) -> Problem:
    return Problem(
        name,
        f"This record has {found} value{'s' if found != 1 else ''} but the header names {expected} "
        "columns, so the file is cut short or damaged. Export it again and import the new file.",
        line=line,
    )
