"""The check screen's look-alike warnings come from the wrong items recorded by corrections."""

from __future__ import annotations

from correction_shop import NOW, draft, shop  # noqa: F401

from shopdesk.checking import check_state, lookalike_warnings
from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.models import OrderStatus
from shopdesk.orders.intake import create_order


def test_nothing_is_mixed_up_until_a_wrong_item_is_recorded(shop):  # noqa: F811
    with shop.db.reading() as session:
        assert lookalike_warnings(session, ["ROSE-RED", "ROSE-PNK", "BEE"]) == {}


def test_both_products_of_a_wrong_item_warn_on_the_next_check(shop):  # noqa: F811
    for _ in range(2):
        apologise_and_reship(
            shop.db,
            CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")]),
            now=NOW,
        )
    apologise_and_reship(
        shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("FERN", 1, "wrong_item", "BEE")]), now=NOW
    )
    with shop.db.unit_of_work() as uow:
        order = create_order(
            uow.session,
            draft(
                "shopify",
                "#1100",
                [
                    ("ROSE-RED", "Red Rose patch", 1, ""),
                    ("BEE", "Honey Bee patch", 1, ""),
                    ("OWL", "Owl", 1, ""),
                ],
                status=OrderStatus.NEW,
            ),
        )
        uow.session.flush()
        order_id = order.id
        uow.commit()
    with shop.db.reading() as session:
        state = check_state(session, order_id)
    warnings = [line.warning for line in state.lines]
    assert warnings == [
        "Mixed up before with Pink Rose patch (ROSE-PNK), 2 times — look twice",
        "Mixed up before with Fern patch (FERN) — look twice",
        "",
    ]
