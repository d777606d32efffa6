"""The dialog's preview of the reship note: the very note "Apologise and reship" then writes, and
nothing saved while the owner is still deciding."""

from __future__ import annotations

import pytest
from correction_shop import NOW, table_dump

from shopdesk.corrections.service import (
    CorrectionError,
    CorrectionRequest,
    OwedLine,
    apologise_and_reship,
    reship_note_preview,
)
from shopdesk.db.models import CorrectionKind
from shopdesk.errors import ShopDeskError


@pytest.mark.parametrize(
    "request_for",
    [
        lambda ids: CorrectionRequest(ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")]),
        lambda ids: CorrectionRequest(
            ids["1041"], [OwedLine("BEE", 1, "wrong_item", "ROSE-PNK")], keep_wrong_item=True
        ),
        lambda ids: CorrectionRequest(
            ids["1041"],
            [OwedLine("FERN", 2, "damaged")],
            extra={"BEE": 1},
            goodwill_note="SORRY15 takes 15% off your next order.",
        ),
        lambda ids: CorrectionRequest(ids["3001"], kind=CorrectionKind.LOST),
    ],
    ids=["wrong-item-back", "wrong-item-kept", "damaged-with-extra", "lost-etsy"],
)
def test_the_preview_is_the_note_that_is_then_written_and_saves_nothing(shop, request_for):
    request = request_for(shop.ids)
    before = table_dump(shop.db)
    with shop.db.reading() as session:
        preview = reship_note_preview(session, request)
    assert table_dump(shop.db) == before
    result = apologise_and_reship(shop.db, request, now=NOW)
    assert (preview.subject, preview.body) == (result.note.subject, result.note.body)
    assert result.replacement_number in preview.body
    if result.rma:
        assert result.rma in preview.body


def test_the_preview_refuses_what_the_reship_would_refuse(shop):
    with shop.db.reading() as session:
        with pytest.raises(CorrectionError, match="at most 2"):
            reship_note_preview(session, CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 3)]))
        with pytest.raises(CorrectionError, match="which SKU was sent instead"):
            reship_note_preview(
                session, CorrectionRequest(shop.ids["1041"], [OwedLine("BEE", 1, "wrong_item")])
            )
        with pytest.raises(CorrectionError, match="is new"):
            reship_note_preview(session, CorrectionRequest(shop.ids["1060"], [OwedLine("BEE", 1)]))
        with pytest.raises(ShopDeskError, match="does not look like an email"):
            reship_note_preview(
                session, CorrectionRequest(shop.ids["3001"], [OwedLine("ROSE-RED", 1)], email="jo at home")
            )
