"""``shopdesk reship``, ``follow-ups``, ``outbox``: owning a mistake from the command line.

``reship`` does what the window's "Apologise and reship" does, in one transaction, and prints the
replacement's order number. Exit status: 0 when everything was done; 1 when nothing was done (the
message says why), or when the replacement was saved but ``--send`` could not send the note (the
message says how to send it again).
"""

from __future__ import annotations

import sys
from pathlib import Path

from shopdesk.corrections.follow_ups import follow_up_list, mark_done, send_follow_up
from shopdesk.corrections.outbox import PreparedNote, message_eml, send_message, unsent_messages
from shopdesk.corrections.service import (
    CorrectionRequest,
    OwedLine,
    apologise_and_reship,
)
from shopdesk.db.models import CorrectionCause, CorrectionKind, MessageChannel
from shopdesk.db.types import utc_now
from shopdesk.documents.data import Address
from shopdesk.errors import ShopDeskError
from shopdesk.files import write_atomically
from shopdesk.mail.smtp import SmtpMailer
from shopdesk.orders.queries import find_order

_ADDRESS_FIELDS = ("ship_name", "address1", "address2", "city", "region", "postcode", "country")


def register(subparsers) -> None:
    reship = subparsers.add_parser(
        "reship",
        help="own a mistake: free replacement, apology note, return label, note to the customer",
        description="Record what went wrong with ORDER and make the free replacement order (it goes "
        "through the double-check like any order), the apology note, a return label for a wrong item "
        "that is to come back, the note to the customer and the follow-ups, all in one transaction. "
        "Prints the replacement's order number.",
    )
    reship.add_argument("order", metavar="ORDER", help='the order that went wrong, e.g. 1041 or "#1041"')
    counts = {"action": "append", "default": [], "metavar": "SKU=N"}
    reship.add_argument("--missing", **counts, help="units not in the parcel (whole line or short)")
    reship.add_argument("--wrong", **counts, help="units of SKU that were sent wrong; pair with --sent")
    reship.add_argument(
        "--sent", action="append", default=[], metavar="SKU", help="what went out instead (one per --wrong)"
    )
    reship.add_argument("--damaged", **counts, help="units that arrived damaged")
    reship.add_argument("--resend", **counts, help="units to send again (lost parcel, wrong address, other)")
    reship.add_argument(
        "--kind",
        choices=[kind.value for kind in CorrectionKind],
        help="what happened (default: from the lines; lost and wrong_address resend the whole order "
        "when no lines are given)",
    )
    reship.add_argument(
        "--cause",
        required=True,
        choices=[cause.value for cause in CorrectionCause],
        help="why, for your eyes only: never shown to the customer",
    )
    reship.add_argument("--keep", action="store_true", help="the customer keeps the wrong item (no return)")
    reship.add_argument("--extra", **counts, help="a goodwill extra, sent free")
    reship.add_argument(
        "--goodwill", default="", metavar="TEXT", help="a goodwill note, e.g. a discount code"
    )
    reship.add_argument(
        "--change", default="", metavar="TEXT", help="what you will change so it won't happen again"
    )
    reship.add_argument("--notes", default="", metavar="TEXT", help="your own notes")
    reship.add_argument("--email", metavar="ADDRESS", help="the customer's email, when the order has none")
    for name in _ADDRESS_FIELDS:
        reship.add_argument(f"--{name.replace('_', '-')}", metavar="TEXT", help=f"new address: {name}")
    reship.add_argument(
        "--follow-up-days", type=int, metavar="N", help="days after shipping (default: the shop's setting)"
    )
    reship.add_argument(
        "--return-reminder-days",
        type=int,
        metavar="N",
        help="days after shipping (default: the shop's setting)",
    )
    reship.add_argument(
        "--out", type=Path, metavar="DIR", help="write the apology note, return label and note (.eml) here"
    )
    reship.add_argument("--send", action="store_true", help="send the note by SMTP (see shopdesk mail-setup)")
    reship.set_defaults(handler=run_reship)

    follow_ups = subparsers.add_parser(
        "follow-ups",
        help="follow-ups and return reminders: list, send, mark done",
        description="List open follow-ups and return reminders (due ones first). --send writes the "
        "message and sends it by SMTP when set up; otherwise prints it to send by hand.",
    )
    follow_ups.add_argument("--send", type=int, metavar="ID", help="write and send follow-up ID")
    follow_ups.add_argument("--done", type=int, metavar="ID", help="mark follow-up ID done without sending")
    follow_ups.set_defaults(handler=run_follow_ups)

    outbox = subparsers.add_parser(
        "outbox",
        help="messages to customers not sent yet",
        description="List notes that were saved but not sent (no address, or sending failed); "
        "--send ID tries again by SMTP.",
    )
    outbox.add_argument("--send", type=int, metavar="ID", help="send message ID by SMTP")
    outbox.set_defaults(handler=run_outbox)


def _pair(text: str) -> tuple[str, int]:
    sku, _, number = text.partition("=")
    if not sku.strip() or not number.strip().isdigit() or int(number) < 1:
        raise ShopDeskError(
            f"Write items as SKU=N with N a whole number above 0, e.g. ROSE-RED=2 (got {text!r})."
        )
    return sku.strip(), int(number)


def request_from_args(args, order_id: int) -> CorrectionRequest:
    lines = [OwedLine(*_pair(text), problem="missing") for text in args.missing]
    if len(args.sent) != len(args.wrong):
        raise ShopDeskError("Give one --sent SKU for each --wrong SKU=N: what went out instead.")
    lines += [
        OwedLine(*_pair(text), problem="wrong_item", sent_sku=sent)
        for text, sent in zip(args.wrong, args.sent, strict=True)
    ]
    lines += [OwedLine(*_pair(text), problem="damaged") for text in args.damaged]
    lines += [OwedLine(*_pair(text), problem="resend") for text in args.resend]
    extra: dict[str, int] = {}
    for text in args.extra:
        sku, units = _pair(text)
        extra[sku] = extra.get(sku, 0) + units
    ship_to = None
    given = {name: getattr(args, name) for name in _ADDRESS_FIELDS}
    if any(value is not None for value in given.values()):
        if not given["ship_name"] or not given["address1"]:
            raise ShopDeskError("A new address needs at least --ship-name and --address1.")
        ship_to = Address(name=given.pop("ship_name"), **{key: value or "" for key, value in given.items()})
    return CorrectionRequest(
        order_id=order_id,
        lines=lines,
        kind=CorrectionKind(args.kind) if args.kind else None,
        cause=CorrectionCause(args.cause),
        keep_wrong_item=args.keep,
        extra=extra,
        goodwill_note=args.goodwill,
        what_we_will_change=args.change,
        notes=args.notes,
        email=args.email,
        ship_to=ship_to,
        follow_up_days=args.follow_up_days,
        return_reminder_days=args.return_reminder_days,
    )


def _how_to_send(note: PreparedNote) -> str:
    if note.to:
        return f"The note to {note.to} is saved, not sent. Send it with: shopdesk outbox --send {note.message_id}"
    if note.channel == MessageChannel.PLATFORM:
        where = f" at {note.platform_url}" if note.platform_url else ""
        return (
            f"The order has no email address: paste the note into the platform's messages{where}. "
            f"It is kept as message {note.message_id} (shopdesk outbox)."
        )
    return f"The order has no email address; the note is kept as message {note.message_id} (shopdesk outbox)."


def run_reship(args, db) -> int:
    if args.out is not None and not args.out.is_dir():
        raise ShopDeskError(f"The folder {args.out} does not exist.")
    mailer = SmtpMailer.from_database(db) if args.send else None
    with db.reading() as session:
        order_id = find_order(session, args.order).id
    result = apologise_and_reship(db, request_from_args(args, order_id), mailer=mailer)
    print(f"Replacement order {result.replacement_number} for order {result.original_number}")
    if result.rma:
        print(f"Return label {result.rma}")
    if args.out is not None:
        written = [args.out / f"apology-note-{result.replacement_number}.pdf"]
        write_atomically(written[0], result.apology_note_pdf)
        if result.return_label_pdf is not None:
            written.append(args.out / f"return-label-{result.rma}.pdf")
            write_atomically(written[-1], result.return_label_pdf)
        written.append(args.out / f"reship-note-{result.replacement_number}.eml")
        write_atomically(written[-1], message_eml(db, result.note.message_id))
        print("Written: " + ", ".join(str(path) for path in written))
    if result.sent is not None and result.sent.sent:
        print(f"Note sent to {result.note.to}")
        return 0
    if result.sent is not None:
        print(
            f"shopdesk: the replacement is saved, but the note could not be sent: {result.sent.error} "
            f"Send it again with: shopdesk outbox --send {result.note.message_id}",
            file=sys.stderr,
        )
        return 1
    print(_how_to_send(result.note))
    return 0


def _mailer_or_none(db) -> SmtpMailer | None:
    try:
        return SmtpMailer.from_database(db)
    except ShopDeskError:
        return None


def run_follow_ups(args, db) -> int:
    if args.done is not None:
        mark_done(db, args.done)
        print(f"Follow-up {args.done} done")
        return 0
    if args.send is not None:
        outcome = send_follow_up(db, args.send, _mailer_or_none(db))
        if outcome.sent is not None and outcome.sent.sent:
            print(f"Sent to {outcome.note.to}: {outcome.note.subject}")
            return 0
        if outcome.sent is not None:
            print(
                f"shopdesk: not sent: {outcome.sent.error} Try again with --send {args.send}.",
                file=sys.stderr,
            )
            return 1
        print(_how_to_send(outcome.note))
        print()
        print(outcome.note.paste_text)
        return 0
    now = utc_now()
    items = follow_up_list_now(db, now)
    if not items:
        print("No follow-ups waiting.")
    for item in items:
        if item.due_at is None:
            when = "when the replacement has shipped"
        else:
            when = f"due {item.due_at.astimezone():%Y-%m-%d}" + (" (now)" if item.is_due(now) else "")
        to = item.to or "no email address"
        print(
            f"{item.id:>4}  {item.title:<16} {when:<34} order {item.order_number} → {item.replacement_number}"
            f"  {item.customer} <{to}>" + (f"  last try failed: {item.last_error}" if item.last_error else "")
        )
    return 0


def follow_up_list_now(db, now):
    with db.reading() as session:
        return follow_up_list(session, now)


def run_outbox(args, db) -> int:
    if args.send is not None:
        outcome = send_message(db, args.send, SmtpMailer.from_database(db))
        if outcome.sent:
            print(f"Message {args.send} sent")
            return 0
        print(
            f"shopdesk: message {args.send} not sent (try {outcome.attempts}): {outcome.error}",
            file=sys.stderr,
        )
        return 1
    with db.reading() as session:
        notes = unsent_messages(session)
    if not notes:
        print("Every message has been sent.")
    for note in notes:
        to = note.to or f"no email address ({note.channel.value})"
        problem = f"  last try failed: {note.error}" if note.error else ""
        print(f"{note.message_id:>4}  order {note.order_number}  {to}  {note.subject}{problem}")
    return 0
