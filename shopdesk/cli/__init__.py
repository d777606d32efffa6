"""The ``shopdesk`` command: with no sub-command it opens the window; sub-commands call services.

Every sub-command lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``handler(args, db) -> exit code``. Errors the owner can fix are printed as one line;
anything else is logged with its traceback and reported as one line too.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from shopdesk import __version__
from shopdesk.cli import (
    check,
    corrections,
    database,
    demo,
    desktop,
    imports,
    mail,
    orders,
    printing,
    report,
    shipping,
)
from shopdesk.errors import ShopDeskError
from shopdesk.logs import log_file, setup_logging

COMMANDS = (demo, orders, imports, check, printing, shipping, corrections, mail, report, database, desktop)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopdesk",
        description="ShopDesk: import, double-check, print and ship the orders of a small shop. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"ShopDesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database to use: a SQLite file or a SQLAlchemy URL (default: $SHOPDESK_DB, "
        "else shopdesk.db in the user data folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    db = None
    if getattr(args, "needs_database", True):
        from shopdesk.db.integrity import begin_startup_check

        # The shop file's soundness check runs on its own thread while the rest loads.
        started = begin_startup_check(args.db)
        # Imported here so that the command line never loads the core's start-up at parse time.
        # The core comes before Qt: PySide6 reads the source of every module imported after it
        # (for its optional ``__feature__`` switches), which costs start-up time and memory.
        from shopdesk.app import open_shop

        if args.command is None:
            import shopdesk.ui.application  # noqa: F401  (Qt and the window load while the check runs)

        try:
            # The window holds the shop's lock: a second window on the same shop writes nothing.
            db = open_shop(args.db, exclusive=args.command is None, started=started)
        except ShopDeskError as exc:
            print(f"shopdesk: {exc}", file=sys.stderr)
            if args.command is None:
                from shopdesk.ui.application import show_start_error

                show_start_error(str(exc))
            return 1
    try:
        if args.command is None:
            from shopdesk.ui.application import run_window  # Qt only when a window is wanted

            return run_window(db, sys.argv[:1])
        return args.handler(args, db)
    except ShopDeskError as exc:
        print(f"shopdesk: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``shopdesk orders | head``): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        log.exception("unexpected error in shopdesk %s", args.command)
        print(
            f"shopdesk: something went wrong; nothing was lost. Details are in {log_file()}", file=sys.stderr
        )
        return 1
    finally:
        if db is not None:
            db.dispose()


if __name__ == "__main__":
    sys.exit(main())
