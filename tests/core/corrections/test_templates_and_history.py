"""Templates (placeholders checked when saved, the defaults' promises), customer history, look-alike
pairs, and the migration that brought the corrections tables."""

from __future__ import annotations

import pytest
from correction_shop import NOW, draft
from hypothesis import given
from hypothesis import strategies as st
from readback import pdf_text
from sqlalchemy import inspect, select

from shopdesk.app import open_shop
from shopdesk.corrections import templates
from shopdesk.corrections.history import (
    corrections_for_order,
    customer_history,
    lookalike_pairs,
    lookalikes_for,
)
from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.corrections.templates import (
    DEFAULTS,
    PLACEHOLDERS,
    Template,
    TemplateError,
    UnknownPlaceholder,
    fill_in,
    preview,
    save_template,
)
from shopdesk.db.migrate import current_revision, downgrade_database, head_revision
from shopdesk.db.models import CorrectionCause, Order
from shopdesk.orders.demo import load_demo_data
from shopdesk.orders.intake import create_order


def test_an_unknown_placeholder_is_refused_when_saved_naming_it(shop):
    with pytest.raises(UnknownPlaceholder, match=r"\{frist_name\}") as refused:
        save_template(shop.db, templates.RESHIP_NOTE, "Sorry, {order_number}", "Hi {frist_name}!")
    assert refused.value.placeholder == "frist_name"
    with shop.db.reading() as session:
        assert templates.load_template(session, templates.RESHIP_NOTE) == DEFAULTS[templates.RESHIP_NOTE]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hi {first_name", "unmatched brace"),
        ("Hi {first_name.__class__}", "does not know"),
        ("Hi {first_name!r}", "write just {first_name}"),
        ("Hi {first_name:>20}", "write just {first_name}"),
        ("Hi {}", "does not know"),
        ("", "needs some text"),
    ],
)
def test_templates_that_cannot_be_filled_in_are_refused(shop, body, message):
    with pytest.raises(TemplateError, match=message):
        save_template(shop.db, templates.FOLLOW_UP, "Hello", body)


def test_a_saved_template_is_used_for_the_next_correction(shop):
    save_template(
        shop.db,
        templates.RESHIP_NOTE,
        "Order {order_number}: {{fixed}}",
        "Dear {first_name}, {replacement_number} is coming.\n\nExtra: {extra_items}\n\n{shop_name}",
    )
    result = apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("BEE", 1)]), now=NOW)
    assert result.note.subject == "Order #1041: {fixed}"
    # The paragraph whose only placeholder is empty (no extra was given) is left out.
    assert result.note.body == "Dear Maya, 1041-R1 is coming.\n\nBelt Drive Betty Patches"


def test_the_defaults_fill_in_lead_with_the_solution_and_thank_the_customer():
    for name, template in DEFAULTS.items():
        assert templates.validate(template) <= set(PLACEHOLDERS)
        filled = preview(template)
        assert "{" not in filled.body and "}" not in filled.body
        assert "thank" in filled.body.lower(), name
    reship = preview(DEFAULTS[templates.RESHIP_NOTE]).body
    first_paragraph = reship.split("\n\n")[1]
    assert "sorry" in first_paragraph and "I'm sending you 1 × Red Rose patch at no charge" in first_paragraph
    assert "no rush" in preview(DEFAULTS[templates.RETURN_REMINDER]).body


def test_the_cause_never_reaches_the_customer(shop):
    bodies = []
    for cause in (CorrectionCause.PACKING, CorrectionCause.CARRIER):
        result = apologise_and_reship(
            shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("FERN", 1)], cause=cause), now=NOW
        )
        apology = pdf_text(result.apology_note_pdf).lower()
        assert "packing" not in apology and "carrier" not in apology
        bodies.append(result.note.body.replace(result.replacement_number, "R"))
    assert bodies[0] == bodies[1]  # the cause changes nothing the customer reads
    assert "cause" not in PLACEHOLDERS


@given(st.text(max_size=200))
def test_any_text_either_fills_in_or_is_refused_with_a_template_error(text):
    template = Template(templates.FOLLOW_UP, "", text)
    try:
        used = templates.validate(template)
    except TemplateError:
        return
    assert used <= set(PLACEHOLDERS)
    fill_in(template, {name: "x" for name in PLACEHOLDERS})


def test_customer_history_matches_by_email_or_by_name_and_postcode(shop):
    result = apologise_and_reship(
        shop.db,
        CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")]),
        now=NOW,
    )
    with shop.db.unit_of_work() as uow:
        # The same customer again: no email this time, her name without accents in capitals, the
        # postcode written without its space.
        next_order = create_order(
            uow.session,
            draft(
                "etsy",
                "3055",
                [("FERN", "Fern patch", 1, "")],
                ship_name="MAYA LINDQVIST",
                ship_postcode="n1h3t5",
                placed_at=NOW,
            ),
        )
        stranger = create_order(
            uow.session,
            draft("etsy", "3056", [("FERN", "Fern patch", 1, "")], ship_name="Kim Ode", placed_at=NOW),
        )
        by_email = create_order(
            uow.session,
            draft(
                "woocommerce",
                "W-9",
                [("FERN", "Fern patch", 1, "")],
                ship_name="M. L.",
                ship_postcode="",
                email="MAYA@example.com",
                placed_at=NOW,
            ),
        )
        uow.commit()
    with shop.db.reading() as session:
        history = customer_history(session, session.get(Order, next_order.id))
        assert history.had_problem
        numbers = [order.number for order in history.orders]
        assert "#1041" in numbers and "#0999" in numbers and "1041-R1" in numbers
        assert [c.replacement_number for c in history.corrections] == ["1041-R1"]
        assert not customer_history(session, session.get(Order, stranger.id)).had_problem
        assert "#1041" in [
            o.number for o in customer_history(session, session.get(Order, by_email.id)).orders
        ]
        first = customer_history(session, session.get(Order, shop.ids["1041"]))
        earlier = [o.number for o in first.orders]
        assert "#0999" in earlier and "1041-R1" not in earlier and not first.had_problem
        [summary] = corrections_for_order(session, shop.ids["1041"])
        assert summary.rma == result.rma and summary.lines == (("wrong_item", "ROSE-RED", 1, "ROSE-PNK"),)


def test_lookalike_pairs_count_what_was_sent_instead_most_often_first(shop):
    lines = [("ROSE-RED", "Red Rose patch", 1, ""), ("BEE", "Honey Bee patch", 1, "")]
    with shop.db.unit_of_work() as uow:
        orders = [create_order(uow.session, draft("shopify", f"#20{n}", lines)) for n in range(3)]
        uow.commit()
    swaps = [("ROSE-RED", "ROSE-PNK"), ("ROSE-RED", "ROSE-PNK"), ("BEE", "FERN")]
    for order, (ordered, sent) in zip(orders, swaps, strict=True):
        request = CorrectionRequest(
            order.id, [OwedLine(ordered, 1, "wrong_item", sent)], keep_wrong_item=True
        )
        apologise_and_reship(shop.db, request, now=NOW)
    with shop.db.reading() as session:
        assert lookalike_pairs(session) == [("ROSE-RED", "ROSE-PNK", 2), ("BEE", "FERN", 1)]
        assert lookalikes_for(session, ["rose-pnk", "FERN", "OTHER"]) == {
            "rose-pnk": [("ROSE-RED", 2)],
            "FERN": [("BEE", 1)],
        }


def test_a_database_from_before_corrections_is_upgraded_with_its_orders(db_path):
    db = open_shop(str(db_path))
    load_demo_data(db)
    downgrade_database(db, "0001")
    assert current_revision(db) == "0001"
    assert "corrections" not in inspect(db.engine).get_table_names()
    db.dispose()

    db = open_shop(str(db_path))
    assert current_revision(db) == head_revision()
    assert {"corrections", "correction_lines", "follow_ups", "sent_messages"} <= set(
        inspect(db.engine).get_table_names()
    )
    with db.reading() as session:
        order = session.scalars(select(Order).where(Order.status == "shipped")).first()
    result = apologise_and_reship(
        db, CorrectionRequest(order.id, kind=None, lines=[OwedLine(_first_sku(db, order.id), 1)])
    )
    assert result.replacement_number.endswith("-R1")
    db.dispose()


def _first_sku(db, order_id):
    with db.reading() as session:
        return session.get(Order, order_id).lines[0].sku
