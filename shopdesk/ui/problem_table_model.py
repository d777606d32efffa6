"""Problems of refused imports as a table: file, line, column, value, what to do."""

from __future__ import annotations

from collections.abc import Sequence

from shopdesk.importers.errors import Problem
from shopdesk.ui.rows_table_model import Column, RowsTableModel

PROBLEM_COLUMNS = (
    Column("File", lambda p: p.file),
    Column("Line", lambda p: p.line, numeric=True),
    Column("Column", lambda p: p.column),
    Column("Value", lambda p: None if p.value is None else p.value.replace("\n", " ⏎ ")),
    Column("What is wrong", lambda p: p.message),
)


def problem_table_model(problems: Sequence[Problem], parent=None) -> RowsTableModel:
    model = RowsTableModel(PROBLEM_COLUMNS, parent)
    model.set_rows(problems)
    return model
