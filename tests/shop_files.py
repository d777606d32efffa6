"""Shops and exports made for the safety tests: real databases, big generated exports, damage."""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
# The Shopify sample holds 8 orders of 15 lines in all.
SHOPIFY_ORDERS_PER_COPY = 8


def shopify_export(path: Path, copies: int, series: int) -> Path:
    """``copies`` renumbered copies of the Shopify sample's 8 orders; ``series`` keeps files apart.

    Order numbers are ``#<series><copy><sample number>``, so every file's orders are its own.
    """
    with (SAMPLES / "shopify/orders_export_1.csv").open(newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for copy in range(copies):
            for row in body:
                writer.writerow([f"#{series}{copy:05d}{row[0][1:]}", *row[1:]])
    return path


def order_numbers(path: Path) -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[0] for row in list(csv.reader(handle))[1:]}


def sqlite_health(path: Path) -> tuple[str, list]:
    """``integrity_check`` and ``foreign_key_check`` of the file, as a fresh process would see them."""
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return integrity, broken


def flip_bytes(path: Path, rng: random.Random, count: int) -> list[int]:
    """Flip ``count`` random bytes of the file in place; return where."""
    data = bytearray(path.read_bytes())
    places = sorted(rng.randrange(len(data)) for _ in range(count))
    for place in places:
        data[place] ^= rng.randrange(1, 256)
    path.write_bytes(bytes(data))
    return places


# The columns a Shopify export needs and nothing else, so that a million orders fit in 60 MB.
NARROW_SHOPIFY_HEADER = (
    "Name,Created at,Lineitem quantity,Lineitem name,Lineitem sku,Shipping Name,Shipping Zip,Notes\n"
)


def narrow_shopify_row(number: int, note: str = "") -> str:
    return f"#{number},2026-11-01 10:00:00 +0000,1,Red Rose Patch,ROSE-RED,Ada,04101,{note}\n"


def narrow_shopify_export(path: Path, orders: int) -> Path:
    """``orders`` Shopify orders #1, #2, … of one line each, written 10,000 lines at a time."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(NARROW_SHOPIFY_HEADER)
        for first in range(1, orders + 1, 10_000):
            last = min(first + 10_000, orders + 1)
            handle.write("".join(narrow_shopify_row(number) for number in range(first, last)))
    return path


def sparse_file(path: Path, size: int, head: str = NARROW_SHOPIFY_HEADER) -> Path:
    """A file of ``size`` bytes that takes next to no disk: ``head``, then a hole (zero bytes)."""
    with path.open("wb") as handle:
        handle.write(head.encode("utf-8"))
        handle.truncate(size)
    return path
