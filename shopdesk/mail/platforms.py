"""Orders whose platform keeps the buyer's email to itself (Etsy): reach the buyer through its messages.

The note is prepared to paste into the platform's conversation, and the order's page on the platform
is where to paste it.
"""

from __future__ import annotations

from urllib.parse import quote

# Platforms whose exports carry no buyer email: the buyer is written to through the platform.
_MESSAGES_ONLY = {"etsy": "Etsy"}


def messages_only(source: str) -> bool:
    """True when orders from ``source`` are answered through the platform's own messages."""
    return source in _MESSAGES_ONLY


def platform_order_url(source: str, external_id: str | None, number: str = "") -> str | None:
    """The seller's page for the order on its platform, where the buyer can be messaged; None if unknown."""
    if source == "etsy":
        receipt = external_id or number.lstrip("#")
        if receipt:
            return f"https://www.etsy.com/your/orders/sold?order_id={quote(receipt, safe='')}"
    return None


def paste_ready(subject: str, body: str) -> str:
    """The note as one text to paste into a platform's message box (which has no subject line)."""
    return f"{subject}\n\n{body}" if subject else body
