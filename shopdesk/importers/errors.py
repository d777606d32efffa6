"""Why an import was refused, in words the owner can act on.

An import never half-happens: when anything in a file is wrong, the whole file is refused with
every problem found, each naming the file, the line, the column, the value and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shopdesk.errors import ShopDeskError

# How many problems the one-paragraph message lists before saying "and N more".
_SHOWN_IN_MESSAGE = 5


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file: where it is, what it says, and what is wrong with it."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def where(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f" {_quoted(self.value)}" if self.value is not None else ""
        return f"{self.where()}{value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


def _quoted(value: str, limit: int = 60) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return '"' + shown.replace("\n", "⏎") + '"'


class ImportRefused(ShopDeskError):
    """A file (or a pair of files imported together) was refused; nothing from it was written.

    ``orders`` is how many orders the file seemed to hold, for the "refused" count.
    """

    def __init__(self, problems: Sequence[Problem], *, orders: int = 0) -> None:
        if not problems:
            raise ValueError("ImportRefused needs at least one problem")
        self.problems = list(problems)
        self.orders = orders
        super().__init__(self._message())

    @property
    def file(self) -> str:
        return self.problems[0].file

    def _message(self) -> str:
        shown = [str(problem) for problem in self.problems[:_SHOWN_IN_MESSAGE]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"…and {hidden} more problem{'s' if hidden != 1 else ''}.")
        return "\n".join(shown)


class UnknownLayout(ImportRefused):
    """The header matches no known export: a column mapping is needed.

    Carries the file's header, the closest known format (if any column matched) and the columns that
    format would need, so the window can open the mapping dialog and the command line can say so.
    """

    def __init__(self, file: str, header: Sequence[str], closest: str | None, missing: Sequence[str]) -> None:
        self.header = list(header)
        self.closest = closest
        self.missing = list(missing)
        if closest:
            what = (
                f"The columns do not match any export ShopDesk knows. The closest is {closest}, "
                f"which also needs the column{'s' if len(missing) != 1 else ''} "
                + ", ".join(f'"{name}"' for name in missing)
                + ". Export the file again from the platform, or save a column mapping for this "
                "layout and import with it."
            )
        else:
            what = (
                "This does not look like an order export: none of its columns ("
                + ", ".join(f'"{name}"' for name in list(header)[:6])
                + ("…" if len(header) > 6 else "")
                + ") is one ShopDesk knows. Save a column mapping for this layout and import with it."
            )
        super().__init__([Problem(file, what, line=1)])
