"""The places orders come from, as the owner calls them."""

from __future__ import annotations

SOURCE_NAMES = {
    "etsy": "Etsy",
    "shopify": "Shopify",
    "squarespace": "Squarespace",
    "woocommerce": "WooCommerce",
    "manual": "By hand",
    "reship": "Reship",
    "csv": "CSV",
}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source.capitalize())
