"""The double-check: scans → counts → checked, and the print gate.

Qt-free. The check screen, the command line and the packing-slip printing all go through here:

- ``scan``, ``add_one``, ``start_over``, ``skip_check``: one user action, one unit of work each;
- ``start_check``, ``release_check``, ``take_over_check``: the check lock, so that two packing
  stations never check one order at once (``CheckedElsewhere`` names the other station);
- ``check_state``: where a check stands, as plain data;
- ``resolve_scan_target``: whether a scanned code is an order number (a packing slip's barcode);
- ``ensure_printable`` / ``printable_orders``: the gate every slip-printing path calls;
- ``lookalike_warnings``: products mixed up before, from the correction records.
"""

from shopdesk.checking.gate import (
    NotPrintable,
    Refusal,
    ensure_printable,
    is_printable,
    print_block_reason,
    printable_orders,
)
from shopdesk.checking.lock import (
    STALE_AFTER,
    CheckedElsewhere,
    CheckHolder,
    check_holder,
    release_check,
    start_check,
    take_over_check,
)
from shopdesk.checking.service import (
    BlankReason,
    NotCheckable,
    OrderTarget,
    ScanOutcome,
    ScanResult,
    add_one,
    resolve_scan_target,
    scan,
    skip_check,
    start_over,
)
from shopdesk.checking.state import CheckLine, CheckState, check_state, lookalike_warnings, normalise_code

__all__ = [
    "STALE_AFTER",
    "BlankReason",
    "CheckHolder",
    "CheckLine",
    "CheckState",
    "CheckedElsewhere",
    "NotCheckable",
    "NotPrintable",
    "OrderTarget",
    "Refusal",
    "ScanOutcome",
    "ScanResult",
    "add_one",
    "check_holder",
    "check_state",
    "ensure_printable",
    "is_printable",
    "lookalike_warnings",
    "normalise_code",
    "print_block_reason",
    "printable_orders",
    "release_check",
    "resolve_scan_target",
    "scan",
    "skip_check",
    "start_check",
    "start_over",
    "take_over_check",
]
