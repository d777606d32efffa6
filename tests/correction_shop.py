"""A small shop with shipped orders to put right, a real SMTP server and an in-memory keyring.

Shared by the corrections tests of the core, the command line and the window."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from mailserver import PASSWORD, USER

from shopdesk.db.models import OrderStatus
from shopdesk.mail.smtp import SmtpMailer, SmtpSettings, save_smtp_settings
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.packing.profile import DEMO_PROFILE, put_profile

PLACED = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


def draft(source, number, lines, status=OrderStatus.SHIPPED, **fields) -> OrderDraft:
    values = {
        "customer_name": "Maya Lindqvist",
        "ship_name": "Maya Lindqvist",
        "ship_address1": "12 Birch Road",
        "ship_city": "Guelph",
        "ship_region": "ON",
        "ship_postcode": "N1H 3T5",
        "ship_country": "Canada",
        "currency": "CAD",
        "total_cents": 4200,
        "placed_at": PLACED,
        **fields,
    }
    return OrderDraft(
        source=source,
        number=number,
        status=status,
        lines=[
            LineDraft(sku, title, qty, variation, unit_price_cents=1200)
            for sku, title, qty, variation in lines
        ],
        **values,
    )


@dataclass
class Shop:
    db: object
    ids: dict[str, int]


@pytest.fixture
def shop(db) -> Shop:
    """Orders: 1041 (Shopify, with email), 3001 (Etsy, no email), 1050 packed, 1060 still new."""
    ids = {}
    with db.unit_of_work() as uow:
        put_profile(uow.session, DEMO_PROFILE)
        orders = {
            "1041": draft(
                "shopify",
                "#1041",
                [
                    ("ROSE-RED", "Red Rose patch", 2, "Size: 3 in"),
                    ("BEE", "Honey Bee patch", 1, ""),
                    ("FERN", "Fern patch", 3, ""),
                ],
                email="maya@example.com",
            ),
            "3001": draft(
                "etsy",
                "3001",
                [("ROSE-RED", "Red Rose patch", 1, "")],
                external_id="3001000123",
                customer_name="Jo Ämberg",
                ship_name="Jo Ämberg",
                ship_postcode="K1A 0B1",
            ),
            "1050": draft("shopify", "#1050", [("BEE", "Honey Bee patch", 2, "")], status=OrderStatus.PACKED),
            "1060": draft("shopify", "#1060", [("BEE", "Honey Bee patch", 2, "")], status=OrderStatus.NEW),
        }
        made = {key: create_order(uow.session, d) for key, d in orders.items()}
        create_order(
            uow.session,
            draft(
                "shopify",
                "#0999",
                [("ROSE-PNK", "Pink Rose patch", 1, "")],
                placed_at=datetime(2025, 11, 1, tzinfo=UTC),
            ),
        )
        uow.session.flush()
        ids = {key: order.id for key, order in made.items()}
        uow.commit()
    return Shop(db, ids)


@pytest.fixture
def mailer(db, running_smtp, memory_keyring):
    """The shop's SMTP settings (STARTTLS, login) saved, pointing at the running test server."""
    save_smtp_settings(
        db, SmtpSettings("127.0.0.1", running_smtp.port, USER, "shop@patches.example"), PASSWORD
    )
    return SmtpMailer.from_database(db, ssl_context=running_smtp.client_context())


def table_dump(db) -> list[str]:
    """Every row of every table, as SQL text: equal dumps mean an unchanged database."""
    db.engine.dispose()
    with sqlite3.connect(db.sqlite_path) as raw:
        return list(raw.iterdump())
