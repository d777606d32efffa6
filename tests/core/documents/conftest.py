"""Fixtures and read-back helpers for the document tests: every document is read back, never just saved."""

from __future__ import annotations

import pytest
from readback import (  # noqa: F401  (re-exported for the document tests)
    decode_barcodes,
    flat,
    fonts_used,
    metadata,
    page_sizes,
    pdf_pages_text,
    pdf_text,
    render_page,
)

from shopdesk.documents.data import (
    ShopProfile,
)


@pytest.fixture
def profile() -> ShopProfile:
    return ShopProfile(
        name="Thread & Thistle Patches",
        address_lines=("14 Mill Lane", "Portland, OR 97201", "USA"),
        return_address_lines=("Thread & Thistle Returns", "PO Box 880", "Portland, OR 97208", "USA"),
        email="hello@threadandthistle.com",
        phone="+1 503 555 0142",
        thank_you_text="Thank you for supporting a tiny studio!",
    )
