"""The shop's follow-up timing: kept once, used by every correction made afterwards."""

from __future__ import annotations

import pytest
from correction_shop import NOW, table_dump

from shopdesk.corrections.delays import FollowUpDelays, follow_up_delays, save_follow_up_delays
from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.models import Correction, FollowUpKind
from shopdesk.errors import ShopDeskError


def delays_of(db, correction_id: int) -> dict[FollowUpKind, int]:
    with db.reading() as session:
        return {f.kind: f.delay_days for f in session.get(Correction, correction_id).follow_ups}


def wrong_item(shop, **days) -> CorrectionRequest:
    return CorrectionRequest(
        order_id=shop.ids["1041"], lines=[OwedLine("BEE", 1, "wrong_item", sent_sku="FERN")], **days
    )


def test_until_the_owner_sets_it_the_defaults_hold_and_then_her_days(shop):
    with shop.db.reading() as session:
        assert follow_up_delays(session) == FollowUpDelays(10, 21)
    save_follow_up_delays(shop.db, FollowUpDelays(18, 35))
    with shop.db.reading() as session:
        assert follow_up_delays(session) == FollowUpDelays(18, 35)

    result = apologise_and_reship(shop.db, wrong_item(shop), now=NOW)

    assert delays_of(shop.db, result.correction_id) == {
        FollowUpKind.FOLLOW_UP: 18,
        FollowUpKind.RETURN_REMINDER: 35,
    }


def test_a_correction_may_still_give_its_own_days(shop):
    save_follow_up_delays(shop.db, FollowUpDelays(18, 35))
    result = apologise_and_reship(
        shop.db, wrong_item(shop, follow_up_days=5, return_reminder_days=40), now=NOW
    )
    assert delays_of(shop.db, result.correction_id) == {
        FollowUpKind.FOLLOW_UP: 5,
        FollowUpKind.RETURN_REMINDER: 40,
    }


@pytest.mark.parametrize("days", [0, 181])
def test_days_out_of_reason_are_refused_with_a_sentence_and_nothing_is_saved(shop, days):
    before = table_dump(shop.db)
    with pytest.raises(ShopDeskError, match="between 1 and 180 days"):
        save_follow_up_delays(shop.db, FollowUpDelays(days, 21))
    with pytest.raises(ShopDeskError, match="between 1 and 180 days"):
        apologise_and_reship(shop.db, wrong_item(shop, follow_up_days=days), now=NOW)
    assert table_dump(shop.db) == before
