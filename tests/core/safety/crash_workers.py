"""What the crash tests' child processes run; they are killed with SIGKILL while they do it.

Children are forked from a multiprocessing fork server that has ShopDesk loaded already, so a
trial costs the work being interrupted, not Python's start-up. They run ShopDesk's own code paths
(``shopdesk.cli.main``, ``Database.unit_of_work``, ``open_shop``) on real files.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from datetime import UTC, datetime

TRIALS_ENV = "SHOPDESK_CRASH_TRIALS"


def trials(reduced: int, full: int) -> int:
    """``reduced`` trials in ``make test``; ``full`` (or any number) with $SHOPDESK_CRASH_TRIALS."""
    wanted = os.environ.get(TRIALS_ENV, "")
    if wanted == "full":
        return full
    return int(wanted) if wanted.isdigit() else reduced


def fork_server() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["crash_workers", "shopdesk.cli", "shopdesk.app", "shopdesk.importers.service"]
    )
    return context


def shopdesk_command(args: list[str]) -> None:
    """``shopdesk ARGS`` as the command line runs it, its output thrown away."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from shopdesk.cli import main

    sys.exit(main(args))


def reporting_command(args: list[str], connection) -> None:
    """Say "ready", run ``shopdesk ARGS`` (output thrown away), then send its exit status."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from shopdesk.cli import main

    connection.send("ready")
    connection.send(main(args))


def commit_orders(db_path: str, first_number: int, connection) -> None:
    """Add orders one unit of work each; send each id the moment its commit returned."""
    from shopdesk.db.database import Database
    from shopdesk.orders.drafts import LineDraft, OrderDraft
    from shopdesk.orders.intake import create_order

    db = Database.open(db_path)
    number = first_number
    while True:
        draft = OrderDraft(
            source="manual",
            number=f"S-{number}",
            placed_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
            customer_name="Saved Means Saved",
            lines=[LineDraft(sku="ROSE-RED", title="Red Rose Patch", quantity=1 + number % 3)],
        )
        with db.unit_of_work() as uow:
            order = create_order(uow.session, draft, station="crash-test")
            uow.session.flush()
            order_id = order.id
            uow.commit()
        connection.send(order_id)
        number += 1


def open_the_shop(db_path: str, connection) -> None:
    """Start-up as the window does it; report what happened, or the traceback of a crash."""
    from shopdesk.app import open_shop
    from shopdesk.db.integrity import begin_startup_check
    from shopdesk.errors import DatabaseError

    try:
        # The check begun on its thread first, as ``shopdesk`` does before loading the window.
        db = open_shop(db_path, exclusive=True, started=begin_startup_check(db_path))
    except DatabaseError as exc:
        connection.send(("refused", str(exc)))
        return
    except BaseException:
        connection.send(("crashed", traceback.format_exc()))
        return
    try:
        with db.engine.connect() as raw:
            from sqlalchemy import text

            count = raw.execute(text("SELECT count(*) FROM orders")).scalar_one()
        connection.send(("opened", count))
    except BaseException:
        connection.send(("crashed", traceback.format_exc()))
    finally:
        db.dispose()


def hold_the_shop(db_path: str, connection) -> None:
    """Open the shop as the window does (holding its lock), say so, and stay until killed."""
    from shopdesk.app import open_shop

    open_shop(db_path, exclusive=True)
    connection.send("open")
    connection.recv()  # never comes: the test kills us


def upgrade_the_shop(db_path: str, connection) -> None:
    """Say "ready", then start the shop as the window does (backup, then the schema upgrade)."""
    from shopdesk.app import open_shop

    connection.send("ready")
    db = open_shop(db_path)
    db.dispose()
    connection.send("done")


# -- the parent's side of a kill test ---------------------------------------------------------------


def start_on_copy(context, source, folder, target, args_for):
    """Copy the shop at ``source`` into ``folder`` and start ``target(*args_for(copy), pipe)`` in a
    forked child; returns (copy, child, receiving end) once the child says it is ready."""
    import shutil
    from pathlib import Path

    Path(folder).mkdir()
    shop = Path(folder) / "shop.db"
    shutil.copyfile(source, shop)
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(*args_for(shop), sending))
    child.start()
    sending.close()
    assert receiving.recv() == "ready"
    return shop, child, receiving


def kills_spread_over(whole_s, count, stretch, seed, start):
    """Start ``count`` children with ``start(trial)`` and SIGKILL each at a random moment of its own
    slice of ``whole_s × stretch`` seconds, so that the kills cover the whole run however few the
    trials; yields ``(trial, shop)`` after each kill."""
    import random
    import time

    rng = random.Random(seed)
    for trial in range(count):
        shop, child, receiving = start(trial)
        time.sleep(whole_s * stretch * (trial + rng.random()) / count)
        child.kill()
        child.join()
        receiving.close()
        yield trial, shop
