"""Documents made from orders in the database: the print gate, what printing does, read-back."""

from __future__ import annotations

import pytest
from readback import decode_barcodes, pdf_text
from sqlalchemy import select

from shopdesk.checking.gate import NotPrintable
from shopdesk.db.models import Event, Order, OrderStatus
from shopdesk.packing.picking import pick_list_pdf, shelf_labels_pdf
from shopdesk.packing.returns import make_return_label
from shopdesk.packing.slips import (
    mark_shipped,
    record_printed,
    render_slips,
    split_variation,
)

S = OrderStatus


def order_ids(db, status: OrderStatus) -> list[int]:
    with db.reading() as session:
        return list(session.scalars(select(Order.id).where(Order.status == status).order_by(Order.id)))


def order(db, order_id: int) -> Order:
    with db.reading() as session:
        found = session.get(Order, order_id)
        _ = found.lines
        return found


def test_slips_for_checked_orders_read_back_with_every_line(demo_db):
    ids = order_ids(demo_db, S.CHECKED)[:2]
    batch = render_slips(demo_db, ids)
    text = pdf_text(batch.pdf)
    for order_id in ids:
        o = order(demo_db, order_id)
        assert o.number.lstrip("#") in text
        assert o.ship_name in text
        for line in o.lines:
            assert line.sku in text
        assert f"Checked by scan: {o.units} of {o.units} units" in text
    assert decode_barcodes(batch.pdf, page=0)[0].lstrip("#") == order(demo_db, ids[0]).number.lstrip("#")


def test_no_slip_for_an_unchecked_order_and_the_batch_is_refused_whole(demo_db):
    checked, new = order_ids(demo_db, S.CHECKED)[0], order_ids(demo_db, S.NEW)[0]
    with pytest.raises(NotPrintable, match=r"0 of [0-9]+ items? checked"):
        render_slips(demo_db, [checked, new])
    with pytest.raises(NotPrintable):
        record_printed(demo_db, [checked, new])
    assert order(demo_db, checked).status == S.CHECKED


def test_a_skipped_check_prints_not_checked_with_its_reason(demo_db):
    new = order_ids(demo_db, S.NEW)[0]
    with demo_db.unit_of_work() as uow:
        uow.session.get(Order, new).check_skip_reason = "Scanner battery flat"
        uow.commit()
    text = pdf_text(render_slips(demo_db, [new]).pdf)
    assert "NOT CHECKED" in text and "Scanner battery flat" in text
    record_printed(demo_db, [new])
    assert order(demo_db, new).status == S.PACKED


def test_printing_packs_and_a_reprint_is_logged_then_shipping_keeps_tracking(demo_db):
    checked = order_ids(demo_db, S.CHECKED)[0]
    record_printed(demo_db, [checked])
    assert order(demo_db, checked).status == S.PACKED
    record_printed(demo_db, [checked], how="printed")
    mark_shipped(demo_db, [checked], tracking="LM555CA")
    shipped = order(demo_db, checked)
    assert shipped.status == S.SHIPPED and shipped.tracking_number == "LM555CA"
    with demo_db.reading() as session:
        kinds = session.scalars(select(Event.kind).where(Event.order_id == checked).order_by(Event.id)).all()
    assert kinds[-3:] == ["status", "reprinted", "status"]


def test_return_labels_number_themselves_and_the_barcode_scans(demo_db):
    shipped = order_ids(demo_db, S.SHIPPED)[0]
    number = order(demo_db, shipped).number.lstrip("#")
    first = make_return_label(demo_db, shipped)
    second = make_return_label(demo_db, shipped)
    assert (first.rma, second.rma) == (f"RMA-{number}-1", f"RMA-{number}-2")
    assert first.rma in decode_barcodes(first.pdf)
    assert first.rma in pdf_text(first.pdf)


def test_pick_list_totals_units_per_sku(demo_db):
    pdf, count = pick_list_pdf(demo_db, S.NEW)
    with demo_db.reading() as session:
        new_orders = session.scalars(select(Order).where(Order.status == S.NEW)).all()
        totals: dict[str, int] = {}
        for o in new_orders:
            for line in o.lines:
                totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    assert count == len(new_orders)
    text = pdf_text(pdf)
    for sku in totals:
        assert sku in text


def test_shelf_labels_cover_products_without_barcode(demo_db):
    pdf, count = shelf_labels_pdf(demo_db)
    assert count == 7  # the demo catalogue has 12 products, 5 with a barcode of their own
    assert "RP-FALLEN" in decode_barcodes(pdf, dpi=300)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Backing: Sew-on", ("Backing: Sew-on", "")),
        (
            'Color: Black\nPersonalization: RIDER, "Doc"\nEst. 1987',
            ("Color: Black", 'RIDER, "Doc"\nEst. 1987'),
        ),
        ("Color:Black,Personalization:Zoë", ("Color:Black", "Zoë")),
    ],
)
def test_personalization_is_split_off_whole(text, expected):
    assert split_variation(text) == expected
