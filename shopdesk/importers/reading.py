"""Turning the bytes of an export into a table of text, the way the platforms and Excel write them.

Files come as UTF-8, UTF-8 with a byte-order mark, or Windows-1252 after a trip through Excel,
with LF or CRLF line ends. A real CSV reader is used because quoted fields span lines; every
record keeps the physical line it starts on, so a problem can be pointed at in a text editor.
Every field stays text: zips keep their leading zeros.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shopdesk.importers.errors import ImportRefused, Problem

# Bytes looked at to tell a text file from a binary one.
_SNIFF_BYTES = 8192


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
    """Read an export from disk; a missing or unreadable file is refused with the reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused([Problem(path.name, f"The file is not there any more: {path}")]) from None
    except IsADirectoryError:
        raise ImportRefused([Problem(path.name, "This is a folder, not a file.")]) from None
    except OSError as exc:
        raise ImportRefused([Problem(path.name, f"The file cannot be read: {exc.strerror}.")]) from exc
    return read_table(data, path.name)


def read_table(data: bytes, name: str) -> Table:
    """Parse CSV bytes into a ``Table``, or refuse them with a message that says what is wrong."""
    if not data.strip():
        raise ImportRefused(
            [Problem(name, "The file is empty. Export the orders again and import the new file.")]
        )
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise ImportRefused(
            [
                Problem(
                    name,
                    "This is not a CSV file (it holds binary data, like a picture or a spreadsheet "
                    "saved as .xlsx). Export the orders as CSV, or in Excel use Save As → CSV.",
                )
            ]
        )
    text, encoding = decode(data, name)
    header, records = _parse(text, name)
    if not any(header):
        raise ImportRefused([Problem(name, "The first line is empty; it should name the columns.", line=1)])
    return Table(name, [cell.strip() for cell in header], records, encoding)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > max(2, len(head) // 100)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(name, data, exc) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(name, data, exc) from None


def _undecodable(name: str, data: bytes, exc: UnicodeDecodeError) -> ImportRefused:
    line = data.count(b"\n", 0, exc.start) + 1
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


def _parse(text: str, name: str) -> tuple[list[str], list[Record]]:
    if "\r" in text:
        # One kind of line end, so that a note with a newline reads the same from a CRLF file;
        # every line end stays one line end, so line numbers do not move.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    records: list[Record] = []
    problems: list[Problem] = []
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_csv_problem(name, start, str(exc)))
            break
        if header is None:
            header = values
        # A blank line is skipped; the first value nearly always says at once that it is not one.
        elif values and (values[0].strip() or any(value.strip() for value in values)):
            if len(values) != len(header):
                problems.append(_width_problem(name, start, len(values), len(header)))
            else:
                records.append(Record(start, tuple(values)))
        start = reader.line_num + 1
    if header is None:
        raise ImportRefused([Problem(name, "The file is empty. Export the orders again.")])
    if problems:
        raise ImportRefused(problems)
    if not records:
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
    return header, records


def _csv_problem(name: str, line: int, reason: str) -> Problem:
    if "end of data" in reason or "field larger" in reason:
        message = (
            "A quoted value starts on this line and never ends, so the file is cut short or "
            "damaged. Export it again and import the new file."
        )
    else:
        message = (
            f"This line is not valid CSV ({reason}). Export the file again; if it was edited in a "
            "spreadsheet, save it as CSV."
        )
    return Problem(name, message, line=line)


def _width_problem(name: str, line: int, found: int, expected: int) -> Problem:
    return Problem(
        name,
        f"This record has {found} value{'s' if found != 1 else ''} but the header names {expected} "
        "columns, so the file is cut short or damaged. Export it again and import the new file.",
        line=line,
    )
