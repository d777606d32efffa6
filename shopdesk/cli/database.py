"""``shopdesk backup``, ``restore`` and ``check-db``: the shop's database kept safe by hand.

Exit status: 0 when done, 1 when it could not be done (the reason on stderr), 2 on usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shopdesk.db.backup import backup_database
from shopdesk.db.database import database_url
from shopdesk.db.health import check_database
from shopdesk.db.lock import ShopLock
from shopdesk.db.restore import check_restorable, restore_sqlite

EXIT_USAGE = 2


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="back up the database now",
        description="Back up the shop's database. A SQLite shop is copied with SQLite's backup API and "
        "checked before the copy is kept; without -o it goes to the backups folder beside the database, "
        "where 12 daily, 10 weekly and 9 monthly backups are kept. A PostgreSQL shop is dumped with "
        "pg_dump (restore it with pg_restore).",
    )
    backup.add_argument("-o", "--output", type=Path, metavar="PATH", help="write the backup to this file")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace the database with a backup",
        description="Replace the shop's SQLite database with a backup. The backup must pass SQLite's "
        "integrity check and be a ShopDesk database; the current database is kept in the backups "
        "folder first. Refused while ShopDesk's window is open on the shop.",
    )
    restore.add_argument("backup", type=Path, metavar="PATH", help="the backup file to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    # The current database may be the damaged one being replaced: it is not opened first.
    restore.set_defaults(handler=run_restore, needs_database=False)

    check = subparsers.add_parser(
        "check-db",
        help="check the database and repair what can be repaired safely",
        description="Back up the database, then run SQLite's integrity and foreign-key checks and the "
        "shop's own rules (counts within quantities, checked orders fully counted, replacements whose "
        "original exists). What can be put right without losing anything is repaired and written to "
        "the history. Exit status 1 when problems are left that need you.",
    )
    check.set_defaults(handler=run_check)


def run_backup(args, db) -> int:
    target = backup_database(db, "by-hand", args.output)
    print(f"Backed up {db.describe()} to {target}")
    return 0


def run_restore(args, _db) -> int:
    from shopdesk.config import chosen_database

    url = database_url(chosen_database(args.db))
    if url.get_backend_name() != "sqlite" or not url.database:
        print(
            "shopdesk restore: only a SQLite shop can be restored by ShopDesk; restore a PostgreSQL dump "
            "with pg_restore --clean --dbname=…",
            file=sys.stderr,
        )
        return EXIT_USAGE
    db_path = Path(url.database)
    check_restorable(args.backup)
    if not args.yes:
        if not sys.stdin.isatty():
            print("shopdesk restore: add --yes to replace the database without being asked", file=sys.stderr)
            return EXIT_USAGE
        answer = input(f"Replace the shop {db_path} with {args.backup}? The current one is kept. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was restored.")
            return 1
    result = restore_sqlite(db_path, args.backup)
    print(f"Restored {args.backup} to {db_path}")
    if result.kept is not None:
        print(f"The database as it was is kept in {result.kept}")
    return 0


def run_check(args, db) -> int:
    path = db.sqlite_path
    lock = ShopLock.acquire(path) if path is not None else None
    try:
        report = check_database(db)
    finally:
        if lock is not None:
            lock.release()
    if report.backup is not None:
        print(f"Backed up to {report.backup} first.")
    for line in report.repaired:
        print(f"repaired: {line}")
    for line in report.problems:
        print(f"problem: {line}", file=sys.stderr)
    if report.clean:
        print("The database is sound: nothing to repair.")
    elif not report.problems:
        print(f"{len(report.repaired)} problem{'s' if len(report.repaired) != 1 else ''} repaired.")
    return 1 if report.problems else 0
