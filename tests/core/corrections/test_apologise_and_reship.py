"""Apologise and reship through the core: every kind of mistake, the replacement, the record, the
documents read back, and all-or-nothing when something fails half-way."""

from __future__ import annotations

import pytest
from correction_shop import NOW, table_dump
from readback import decode_barcodes, flat, pdf_text
from sqlalchemy import select

from shopdesk.corrections import service
from shopdesk.corrections.history import lookalike_pairs
from shopdesk.corrections.service import (
    CorrectionError,
    CorrectionRequest,
    OwedLine,
    apologise_and_reship,
    correction_documents,
    owable_lines,
)
from shopdesk.db.models import (
    Correction,
    CorrectionCause,
    CorrectionKind,
    Event,
    FollowUpKind,
    MessageChannel,
    Order,
    OrderStatus,
    SentMessage,
)
from shopdesk.documents import apology_note
from shopdesk.documents.data import Address
from shopdesk.packing.slips import DEFAULT_APOLOGY, slip_data


def load(db, model, id_):
    with db.reading() as session:
        found = session.get(model, id_)
        if isinstance(found, Order):
            _ = found.lines, found.parent
        if isinstance(found, Correction):
            _ = found.lines, found.follow_ups, found.replacement, found.messages
        return found


def replacement_lines(db, result) -> list[tuple[str, int, str, int | None]]:
    order = load(db, Order, result.replacement_id)
    return [(line.sku, line.quantity, line.variation, line.unit_price_cents) for line in order.lines]


# (request lines, kind said, expected kind, expected replacement lines as (sku, units))
KINDS = {
    "missing": ([OwedLine("BEE", 1, "missing")], None, CorrectionKind.MISSING, [("BEE", 1)]),
    "short": ([OwedLine("FERN", 2, "missing")], None, CorrectionKind.SHORT, [("FERN", 2)]),
    "damaged": ([OwedLine("ROSE-RED", 1, "damaged")], None, CorrectionKind.DAMAGED, [("ROSE-RED", 1)]),
    "lost": ([], CorrectionKind.LOST, CorrectionKind.LOST, [("ROSE-RED", 2), ("BEE", 1), ("FERN", 3)]),
    "other": ([OwedLine("FERN", 1, "resend")], CorrectionKind.OTHER, CorrectionKind.OTHER, [("FERN", 1)]),
}


@pytest.mark.parametrize("case", list(KINDS))
def test_each_kind_makes_a_free_replacement_for_exactly_what_is_owed(shop, case):
    lines, kind, expected_kind, expected_lines = KINDS[case]
    request = CorrectionRequest(
        order_id=shop.ids["1041"], lines=lines, kind=kind, cause=CorrectionCause.PACKING
    )
    result = apologise_and_reship(shop.db, request, now=NOW)

    assert result.replacement_number == "1041-R1"
    replacement = load(shop.db, Order, result.replacement_id)
    assert replacement.source == "reship"
    assert replacement.parent_id == shop.ids["1041"]
    assert replacement.status == OrderStatus.NEW
    assert replacement.total_cents == 0
    assert replacement.email == "maya@example.com"
    assert replacement.ship_address1 == "12 Birch Road"
    assert [(sku, qty) for sku, qty, _, _ in replacement_lines(shop.db, result)] == expected_lines
    assert {price for *_, price in replacement_lines(shop.db, result)} == {0}

    correction = load(shop.db, Correction, result.correction_id)
    assert correction.kind == expected_kind
    assert correction.cause == CorrectionCause.PACKING
    assert correction.order_id == shop.ids["1041"]
    assert correction.replacement_id == result.replacement_id
    assert correction.rma is None and result.return_label_pdf is None
    assert [f.kind for f in correction.follow_ups] == [FollowUpKind.FOLLOW_UP]
    assert correction.follow_ups[0].delay_days == 10 and correction.follow_ups[0].due_at is None

    text = flat(pdf_text(result.apology_note_pdf))
    assert "Dear Maya," in text
    assert "#1041" in text and "1041-R1" in text
    assert "at no charge" in text
    assert "packing" not in text.lower()  # the cause is never shown to the customer


def test_missing_and_short_are_told_apart_by_units_and_variation_is_kept(shop):
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(shop.ids["1041"], [OwedLine("rose-red", 2, "short"), OwedLine("FERN", 1)]),
        now=NOW,
    )
    correction = load(shop.db, Correction, result.correction_id)
    assert [(line.kind, line.sku, line.units) for line in correction.lines] == [
        ("missing", "ROSE-RED", 2),
        ("short", "FERN", 1),
    ]
    assert replacement_lines(shop.db, result)[0] == ("ROSE-RED", 2, "Size: 3 in", 0)
    assert correction.kind == CorrectionKind.MISSING


def test_wrong_item_to_return_gets_a_return_label_with_its_rma_and_a_gentle_reminder(shop):
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(
            shop.ids["1041"],
            [OwedLine("ROSE-RED", 1, "wrong_item", sent_sku="ROSE-PNK")],
            cause=CorrectionCause.PACKING,
        ),
        now=NOW,
    )
    assert result.rma == "RMA-1041-1"
    assert decode_barcodes(result.return_label_pdf) == ["RMA-1041-1"]
    label_text = flat(pdf_text(result.return_label_pdf))
    assert "ROSE-PNK" in label_text and "Pink Rose patch" in label_text

    correction = load(shop.db, Correction, result.correction_id)
    assert correction.kind == CorrectionKind.WRONG_ITEM and correction.rma == "RMA-1041-1"
    assert [(line.sku, line.sent_sku, line.sent_title) for line in correction.lines] == [
        ("ROSE-RED", "ROSE-PNK", "Pink Rose patch")
    ]
    assert [f.kind for f in correction.follow_ups] == [FollowUpKind.FOLLOW_UP, FollowUpKind.RETURN_REMINDER]
    assert replacement_lines(shop.db, result) == [("ROSE-RED", 1, "Size: 3 in", 0)]

    note = flat(pdf_text(result.apology_note_pdf))
    assert "RMA-1041-1" in note and "no rush" in note and "1 × Pink Rose patch" in note
    assert "RMA-1041-1" in result.note.body and "no rush" in result.note.body
    with shop.db.reading() as session:
        rmas = session.scalars(
            select(Event.details).where(Event.order_id == shop.ids["1041"], Event.kind == "return_label")
        ).all()
        assert [d["rma"] for d in rmas] == ["RMA-1041-1"]
        assert lookalike_pairs(session) == [("ROSE-RED", "ROSE-PNK", 1)]
    again = correction_documents(shop.db, result.correction_id)
    assert decode_barcodes(again.return_label_pdf) == ["RMA-1041-1"]
    assert flat(pdf_text(again.apology_note_pdf)) == note


def test_a_wrong_item_the_customer_keeps_needs_no_label(shop):
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(
            shop.ids["1041"], [OwedLine("BEE", 1, "wrong_item", "ROSE-PNK")], keep_wrong_item=True
        ),
        now=NOW,
    )
    assert result.rma is None and result.return_label_pdf is None
    correction = load(shop.db, Correction, result.correction_id)
    assert correction.keep_wrong_item and [f.kind for f in correction.follow_ups] == [FollowUpKind.FOLLOW_UP]
    assert "Please keep what you received by mistake (1 × Pink Rose patch)" in result.note.body
    assert "return label" not in result.note.body


def test_wrong_address_sends_to_the_corrected_address(shop):
    new = Address("Maya Lindqvist", "88 Elm Street", "Apt 4", "Toronto", "ON", "M5V 2T6", "Canada")
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(shop.ids["1041"], kind=CorrectionKind.WRONG_ADDRESS, ship_to=new),
        now=NOW,
    )
    replacement = load(shop.db, Order, result.replacement_id)
    assert (replacement.ship_address1, replacement.ship_city, replacement.ship_postcode) == (
        "88 Elm Street",
        "Toronto",
        "M5V 2T6",
    )
    assert replacement.units == 6
    assert load(shop.db, Correction, result.correction_id).kind == CorrectionKind.WRONG_ADDRESS


def test_a_goodwill_extra_rides_along_and_is_kept_apart_from_what_is_owed(shop):
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(
            shop.ids["1041"],
            [OwedLine("BEE", 1)],
            extra={"BEE": 1, "ROSE-PNK": 1},
            goodwill_note="Here is 15% off your next order: SORRY15.",
        ),
        now=NOW,
    )
    assert [(sku, qty) for sku, qty, _, _ in replacement_lines(shop.db, result)] == [
        ("BEE", 2),
        ("ROSE-PNK", 1),
    ]
    correction = load(shop.db, Correction, result.correction_id)
    assert [(line.kind, line.sku, line.units) for line in correction.lines] == [
        ("missing", "BEE", 1),
        ("extra", "BEE", 1),
        ("extra", "ROSE-PNK", 1),
    ]
    assert "1 × Honey Bee patch and 1 × Pink Rose patch as a small thank-you" in result.note.body
    assert "SORRY15" in result.note.body and "SORRY15" in pdf_text(result.apology_note_pdf)


def test_units_are_capped_at_what_was_ordered_counting_earlier_corrections(shop):
    order_id = shop.ids["1041"]
    with pytest.raises(CorrectionError, match=r"2 × ROSE-RED; 3 cannot be owed \(at most 2\)"):
        apologise_and_reship(shop.db, CorrectionRequest(order_id, [OwedLine("ROSE-RED", 3)]))
    first = apologise_and_reship(shop.db, CorrectionRequest(order_id, [OwedLine("ROSE-RED", 1, "damaged")]))
    with shop.db.reading() as session:
        assert {line.sku: line.owable for line in owable_lines(session, order_id)} == {
            "ROSE-RED": 1,
            "BEE": 1,
            "FERN": 3,
        }
    with pytest.raises(CorrectionError, match="1 already owed by an earlier correction"):
        apologise_and_reship(shop.db, CorrectionRequest(order_id, [OwedLine("ROSE-RED", 2)]))
    second = apologise_and_reship(shop.db, CorrectionRequest(order_id, [OwedLine("ROSE-RED", 1)]))
    assert (first.replacement_number, second.replacement_number) == ("1041-R1", "1041-R2")


@pytest.mark.parametrize(
    ("request_args", "message"),
    [
        ({"lines": [OwedLine("NOPE", 1)]}, "has no line NOPE"),
        ({"lines": [OwedLine("BEE", 1, "wrong_item")]}, "say which SKU was sent instead"),
        ({"lines": [OwedLine("BEE", 0)]}, "at least 1"),
        ({"lines": []}, "Say what is owed"),
    ],
)
def test_a_request_that_does_not_fit_the_order_saves_nothing(shop, request_args, message):
    before = table_dump(shop.db)
    with pytest.raises(CorrectionError, match=message):
        apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1041"], **request_args))
    assert table_dump(shop.db) == before


def test_only_packed_or_shipped_orders_can_be_corrected(shop):
    apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1050"], [OwedLine("BEE", 1)]))
    with pytest.raises(CorrectionError, match="only a packed or shipped order"):
        apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1060"], [OwedLine("BEE", 1)]))


@pytest.mark.parametrize("failing", ["render_apology_note", "prepared_note", "add_return_label"])
def test_a_failure_half_way_leaves_the_database_exactly_as_it_was_and_sends_nothing(
    shop, monkeypatch, failing, mailer, running_smtp
):
    before = table_dump(shop.db)

    def explode(*args, **kwargs):
        # By now the replacement order, the correction and (for a wrong item) the RMA are in the session.
        raise RuntimeError("disk full")

    # The apology note's renderer is loaded when first used, so it is replaced where it lives.
    monkeypatch.setattr(apology_note if failing == "render_apology_note" else service, failing, explode)
    request = CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")])
    with pytest.raises(RuntimeError, match="disk full"):
        apologise_and_reship(shop.db, request, mailer=mailer, now=NOW)
    assert table_dump(shop.db) == before
    assert running_smtp.received == []
    monkeypatch.undo()
    # The same request goes through afterwards, numbered as if nothing had happened.
    result = apologise_and_reship(shop.db, request, now=NOW)
    assert (result.replacement_number, result.rma) == ("1041-R1", "RMA-1041-1")


def test_the_replacement_slip_carries_the_opening_of_its_own_apology(shop):
    result = apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("BEE", 1)]), now=NOW)
    with shop.db.reading() as session:
        slip = slip_data(session.get(Order, result.replacement_id))
    assert slip.replacement.original_order_number == "#1041"
    assert slip.replacement.apology_text.startswith("I'm so sorry that order #1041")
    assert slip.replacement.apology_text != DEFAULT_APOLOGY
    assert "\n\n" not in slip.replacement.apology_text


def test_an_order_without_email_gets_its_note_ready_for_the_platform(shop):
    result = apologise_and_reship(
        shop.db, CorrectionRequest(shop.ids["3001"], [OwedLine("ROSE-RED", 1)]), now=NOW
    )
    assert result.replacement_number == "3001-R1"
    note = result.note
    assert note.to is None and note.channel == MessageChannel.PLATFORM
    assert note.platform_url == "https://www.etsy.com/your/orders/sold?order_id=3001000123"
    assert note.paste_text.startswith("Your replacement for order 3001 is on its way\n\nHi Jo,")
    with shop.db.reading() as session:
        message = session.get(SentMessage, note.message_id)
        assert message.sent_at is None and message.correction_id == result.correction_id
