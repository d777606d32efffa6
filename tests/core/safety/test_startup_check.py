"""The start-up soundness check runs on its own thread before SQLAlchemy and Qt are loaded, and its
answer is the one ``open_shop`` acts on."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shopdesk.app import open_shop
from shopdesk.cli import main
from shopdesk.db.integrity import StartupCheck, begin_startup_check, sqlite_file_of
from shopdesk.errors import DatabaseError


def test_the_check_module_loads_neither_sqlalchemy_nor_qt():
    script = (
        "import sys\n"
        "import shopdesk.db.integrity\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'PySide6'})))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_a_plain_path_is_checked_early_and_a_server_url_is_left_to_the_start_up(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sqlite_file_of("shop.db") == tmp_path / "shop.db"
    assert sqlite_file_of("postgresql+psycopg://shop@server/shopdesk") is None
    assert begin_startup_check("postgresql+psycopg://shop@server/shopdesk") is None
    started = begin_startup_check("shop.db")
    assert started is not None and started.path == tmp_path / "shop.db"
    assert started.problem() is None  # no file yet: a new shop


def _damage(path) -> None:
    with open(path, "r+b") as file:
        file.seek(100)
        file.write(os.urandom(4000))  # the first pages' headers: damage every check sees


def test_open_shop_acts_on_the_early_answer_without_checking_again(db_path, tmp_path):
    open_shop(str(db_path)).dispose()
    sound = db_path.read_bytes()
    _damage(db_path)
    started = StartupCheck(db_path)
    assert started.problem() is not None
    db_path.write_bytes(sound)  # mended after the check: the answer given is still the one used
    with pytest.raises(DatabaseError, match="damaged") as refused:
        open_shop(str(db_path), started=started)
    assert "Nothing was written to it" in str(refused.value)
    assert db_path.read_bytes() == sound


def test_a_check_of_another_file_is_not_taken_for_this_one(db_path, tmp_path):
    open_shop(str(db_path)).dispose()
    other = tmp_path / "other.db"
    other.write_bytes(db_path.read_bytes())
    _damage(other)
    started = StartupCheck(other)
    assert started.problem() is not None
    open_shop(str(db_path), started=started).dispose()  # this file is checked on its own, and sound


def test_the_command_refuses_a_damaged_file_found_by_the_early_check(db_path, capsys):
    open_shop(str(db_path)).dispose()
    _damage(db_path)
    assert main(["--db", str(db_path), "orders"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Nothing was written to it" in err


def test_a_disk_that_refuses_the_file_is_not_called_damage(db_path, monkeypatch):
    import errno
    from pathlib import Path

    open_shop(str(db_path)).dispose()
    real_stat = Path.stat

    def refusing(self, *args, **kwargs):
        if self == db_path:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", refusing)
    with pytest.raises(DatabaseError) as refused:
        open_shop(str(db_path), started=StartupCheck(db_path))
    said = str(refused.value)
    assert "the disk would not let ShopDesk open it" in said and "damaged" not in said
