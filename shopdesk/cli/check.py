"""``shopdesk check ORDER CODE...``: the double-check from the command line, one unit per code."""

from __future__ import annotations

from shopdesk.checking import CheckState, ScanOutcome, check_state, scan
from shopdesk.orders.queries import find_order

_REFUSED = {"wrong_item": "wrong item", "over": "too many", "already_checked": "already checked"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check an order's items by their codes (each code counts one unit)",
        description="Count an order's items by their codes, as a barcode scanner would: each code "
        "(a SKU or a product barcode, any case) counts one unit. Prints every line as counted / "
        "ordered and lists the codes that were not counted. Exits 0 when the whole order is "
        "checked, 1 otherwise. With no codes, shows where the check stands.",
    )
    parser.add_argument("order", metavar="ORDER", help='order number, e.g. 1041, "#1041" or shopify:#1041')
    parser.add_argument("codes", metavar="CODE", nargs="*", help="SKU or barcode of one unit")
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    with db.reading() as session:
        order_id = find_order(session, args.order).id
    refused: list[ScanOutcome] = []
    for code in args.codes:
        outcome = scan(db, order_id, code)
        if not outcome.counted:
            refused.append(outcome)
    with db.reading() as session:
        state = check_state(session, order_id)
    print(describe(state))
    if refused:
        print("\nNot counted:")
        width = max(len(_REFUSED[outcome.result.value]) for outcome in refused)
        for outcome in refused:
            print(
                f"  {_REFUSED[outcome.result.value]:<{width}}  {outcome.code}: {' '.join(outcome.message.split())}"
            )
    return 0 if state.is_complete else 1


def describe(state: CheckState) -> str:
    """The check as text: the order, every line as counted / ordered, and the verdict."""
    lines = [f"Order {state.number} — {state.recipient}" if state.recipient else f"Order {state.number}"]
    width = max((len(str(line.quantity)) for line in state.lines), default=1)
    for line in state.lines:
        mark = "✓" if line.is_complete else " "
        counter = f"{line.counted:>{width}} / {line.quantity:<{width}}"
        lines.append(f"  {mark} {counter}  {line.name}")
        lines.extend(f"  {' ' * (len(counter) + 4)}{part}" for part in line.variation.splitlines() if part)
    if state.is_complete:
        total = state.units_total
        lines.append(f"Checked: all {total} item{'' if total == 1 else 's'}.")
    elif state.is_skipped:
        lines.append(f"Not checked ({state.progress_text}); packed without checking: {state.skip_reason}")
    else:
        lines.append(f"Not finished: {state.progress_text}.")
    return "\n".join(lines)
