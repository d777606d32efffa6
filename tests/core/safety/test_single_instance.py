"""One ShopDesk window per shop, and a killed one never blocks the next start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from crash_workers import fork_server, hold_the_shop, trials

from shopdesk.app import open_shop
from shopdesk.db.lock import ShopAlreadyOpen, ShopLock


def _files(shop: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of the database and its log, to prove nothing was written."""
    found = {}
    for suffix in ("", "-wal"):
        part = shop.with_name(shop.name + suffix)
        if part.exists():
            found[suffix] = (part.stat().st_size, part.stat().st_mtime_ns)
    return found


def test_a_second_window_is_refused_and_a_killed_first_never_blocks_the_next(db_path):
    open_shop(str(db_path)).dispose()
    context = fork_server()
    for _ in range(trials(reduced=10, full=30)):
        receiving, sending = context.Pipe(duplex=False)
        first = context.Process(target=hold_the_shop, args=(str(db_path), sending))
        first.start()
        sending.close()
        assert receiving.recv() == "open"
        before = _files(db_path)

        with pytest.raises(ShopAlreadyOpen, match="ShopDesk is already open on this shop") as refused:
            open_shop(str(db_path), exclusive=True)
        assert f"process {first.pid}" in str(refused.value)
        assert _files(db_path) == before

        first.kill()
        first.join()
        receiving.close()
        after_the_kill = open_shop(str(db_path), exclusive=True)  # not blocked by a stale lock
        after_the_kill.dispose()


def test_the_command_line_refuses_restore_and_check_while_the_window_is_open(db_path, tmp_path):
    open_shop(str(db_path)).dispose()
    with ShopLock.acquire(db_path):
        checked = subprocess.run(
            [sys.executable, "-m", "shopdesk", "--db", str(db_path), "check-db"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert checked.returncode == 1
    assert "ShopDesk is already open on this shop" in checked.stderr and "Traceback" not in checked.stderr


def test_the_lock_is_released_when_the_shop_is_closed(db_path):
    first = open_shop(str(db_path), exclusive=True)
    first.dispose()
    second = open_shop(str(db_path), exclusive=True)
    second.dispose()
    assert oct(ShopLock(db_path).path.stat().st_mode & 0o777) == "0o600"
