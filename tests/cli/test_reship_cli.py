"""``shopdesk reship``, ``follow-ups``, ``outbox`` and ``mail-setup`` through the command's entry point,
on the demo shop."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email.policy import default as default_policy

import pytest
from mailserver import PASSWORD, USER
from readback import decode_barcodes, flat, pdf_text
from sqlalchemy import func, select

from shopdesk.cli import main
from shopdesk.db.models import Correction, CorrectionKind, Order, OrderStatus, SentMessage
from shopdesk.orders.queries import find_order


def shopdesk(db, *args: str) -> int:
    return main(["--db", str(db.sqlite_path), *args])


def replacement_of(db, number: str) -> tuple[Order, Correction]:
    with db.reading() as session:
        order = find_order(session, number)
        correction = session.scalars(select(Correction).where(Correction.order_id == order.id)).one()
        replacement = correction.replacement
        _ = replacement.lines, replacement.parent, correction.lines
        return replacement, correction


KINDS = [
    (["101", "--missing", "WING-S=3", "--cause", "packing"], "101", CorrectionKind.MISSING, [("WING-S", 3)]),
    (["101", "--missing", "WING-S=1", "--cause", "stock"], "101", CorrectionKind.SHORT, [("WING-S", 1)]),
    (
        ["4001", "--wrong", "SKULL-BLK=1", "--sent", "WING-S", "--keep", "--cause", "packing"],
        "4001",
        CorrectionKind.WRONG_ITEM,
        [("SKULL-BLK", 1)],
    ),
    (["M-001", "--damaged", "NAME-TAG=2", "--cause", "carrier"], "M-001", CorrectionKind.DAMAGED, [("NAME-TAG", 2)]),
    (["4001", "--kind", "lost", "--cause", "carrier"], "4001", CorrectionKind.LOST, [("SKULL-BLK", 2)]),
    (
        ["101", "--kind", "wrong_address", "--cause", "customer", "--ship-name", "Hiroshi Tanaka",
         "--address1", "1-2-3 Ginza", "--city", "Tokyo", "--country", "Japan"],
        "101",
        CorrectionKind.WRONG_ADDRESS,
        [("SKULL-BLK", 2), ("WING-S", 3)],
    ),
    (["2801", "--kind", "other", "--resend", "WING-S=1", "--cause", "unknown"], "2801", CorrectionKind.OTHER, [("WING-S", 1)]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "number", "kind", "lines"), KINDS, ids=[k[2].value for k in KINDS])
def test_reship_every_kind(demo_db, capsys, args, number, kind, lines):
    assert shopdesk(demo_db, "reship", *args) == 0
    out = capsys.readouterr().out
    bare = number.lstrip("#")
    assert out.splitlines()[0] == f"Replacement order {bare}-R1 for order {number}"
    replacement, correction = replacement_of(demo_db, number)
    assert replacement.number == f"{bare}-R1" and replacement.source == "reship"
    assert replacement.parent.number == number and replacement.status == OrderStatus.NEW
    assert [(line.sku, line.quantity) for line in replacement.lines] == lines
    assert correction.kind == kind and correction.cause.value == args[args.index("--cause") + 1]
    if kind == CorrectionKind.WRONG_ADDRESS:
        assert (replacement.ship_address1, replacement.ship_city) == ("1-2-3 Ginza", "Tokyo")


def test_reship_writes_the_apology_note_return_label_and_eml(demo_db, tmp_path, capsys):
    code = shopdesk(
        demo_db, "reship", "#901", "--wrong", "ROSE-RED=1", "--sent", "ROSE-PNK", "--missing", "WING-L=2",
        "--extra", "FLAG-US=1", "--cause", "packing", "--change", "Roses are now kept in separate bins.",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Return label RMA-901-1" in out and "no email address" in out
    apology = flat(pdf_text((tmp_path / "apology-note-901-R1.pdf").read_bytes()))
    assert "Dear Tom," in apology and "1 × Red Rose Patch and 2 × Winged Wheel Patch - Large" in apology
    assert "1 × USA Flag Patch" in apology and "RMA-901-1" in apology
    assert decode_barcodes((tmp_path / "return-label-RMA-901-1.pdf").read_bytes()) == ["RMA-901-1"]
    note = email.message_from_bytes((tmp_path / "reship-note-901-R1.eml").read_bytes(), policy=default_policy)
    assert note["Subject"] == "Your replacement for order #901 is on its way"
    assert note["To"] is None  # the Shopify export gave no email: she fills it in
    assert "Hi Tom," in note.get_body(("plain",)).get_content()
    assert [part.get_filename() for part in note.iter_attachments()] == ["return-label-RMA-901-1.pdf"]
    replacement, correction = replacement_of(demo_db, "#901")
    assert [(line.sku, line.quantity) for line in replacement.lines] == [
        ("ROSE-RED", 1),
        ("WING-L", 2),
        ("FLAG-US", 1),
    ]
    assert correction.what_we_will_change == "Roses are now kept in separate bins."


def set_up_mail(db, monkeypatch, server) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert_file))  # the test server's certificate is trusted
    assert shopdesk(
        db, "mail-setup", "--host", "127.0.0.1", "--port", str(server.port), "--user", USER,
        "--from", "hello@beltdrivebetty.example", "--starttls",
    ) == 0  # fmt: skip


def test_reship_send_delivers_the_note_and_the_password_stays_out_of_the_database(
    demo_db, capsys, monkeypatch, running_smtp, memory_keyring
):
    set_up_mail(demo_db, monkeypatch, running_smtp)
    assert shopdesk(demo_db, "reship", "101", "--missing", "WING-S=1", "--cause", "packing", "--send") == 0
    assert "Note sent to tanaka@example.jp" in capsys.readouterr().out
    [received] = running_smtp.received
    assert received.rcpt_tos == ["tanaka@example.jp"]
    assert received.message["Subject"] == "Your replacement for order 101 is on its way"
    assert "1 × " in received.message.get_body(("plain",)).get_content()
    assert running_smtp.logins == [(USER, PASSWORD)]
    demo_db.engine.dispose()
    for path in demo_db.sqlite_path.parent.glob(demo_db.sqlite_path.name + "*"):
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_failed_send_is_reported_kept_and_sent_from_the_outbox(
    demo_db, capsys, monkeypatch, smtp_server, memory_keyring
):
    set_up_mail(demo_db, monkeypatch, smtp_server)
    capsys.readouterr()
    assert shopdesk(demo_db, "reship", "4001", "--missing", "SKULL-BLK=1", "--cause", "stock", "--send") == 1
    captured = capsys.readouterr()
    assert "Replacement order 4001-R1" in captured.out
    assert "the replacement is saved, but the note could not be sent" in captured.err
    with demo_db.reading() as session:
        message_id = session.scalar(select(SentMessage.id))
    assert f"shopdesk outbox --send {message_id}" in captured.err

    assert shopdesk(demo_db, "outbox") == 0
    listed = capsys.readouterr().out
    assert "order 4001  obrown@example.co.uk" in listed and "last try failed" in listed
    smtp_server.start()
    assert shopdesk(demo_db, "outbox", "--send", str(message_id)) == 0
    assert [r.rcpt_tos for r in smtp_server.received] == [["obrown@example.co.uk"]]
    assert shopdesk(demo_db, "outbox") == 0
    assert "Every message has been sent." in capsys.readouterr().out


def test_send_without_mail_set_up_does_nothing(demo_db, capsys):
    assert shopdesk(demo_db, "reship", "101", "--missing", "WING-S=1", "--cause", "packing", "--send") == 1
    assert "Mail is not set up yet" in capsys.readouterr().err
    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Correction)) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["101", "--wrong", "WING-S=1", "--cause", "packing"], "one --sent SKU for each --wrong"),
        (["101", "--missing", "WING-S=9", "--cause", "packing"], "at most 3"),
        (["101", "--missing", "WING-S", "--cause", "packing"], "SKU=N"),
        (["3001", "--missing", "WING-S=1", "--cause", "packing"], "No order numbered"),
    ],
)
def test_reship_refuses_what_does_not_fit_and_changes_nothing(demo_db, capsys, args, message):
    with demo_db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Order))
    assert shopdesk(demo_db, "reship", *args) == 1
    assert message in capsys.readouterr().err
    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == before
        assert session.scalar(select(func.count()).select_from(Correction)) == 0


def test_follow_ups_are_listed_written_for_pasting_and_marked_done(demo_db, capsys):
    assert (
        shopdesk(demo_db, "reship", "2801", "--wrong", "WING-S=1", "--sent", "WING-L", "--cause", "packing")
        == 0
    )
    assert shopdesk(demo_db, "follow-ups") == 0
    listed = capsys.readouterr().out.splitlines()[-2:]
    assert "Follow-up" in listed[0] and "when the replacement has shipped" in listed[0]
    assert "Return reminder" in listed[1] and "order 2801 → 2801-R1" in listed[1]
    reminder_id = listed[1].split()[0]
    assert shopdesk(demo_db, "follow-ups", "--send", reminder_id) == 0
    out = capsys.readouterr().out
    assert "https://www.etsy.com/your/orders/sold?order_id=" in out
    assert "The return for order 2801, whenever it suits you" in out and "no rush" in out
    follow_up_id = listed[0].split()[0]
    assert shopdesk(demo_db, "follow-ups", "--done", follow_up_id) == 0
    assert shopdesk(demo_db, "follow-ups") == 0
    remaining = capsys.readouterr().out
    assert "Follow-up " not in remaining.split("done", 1)[1]


def test_reship_through_the_real_command(demo_db):
    demo_db.dispose()
    env = {**os.environ, "SHOPDESK_DB": str(demo_db.sqlite_path)}
    result = subprocess.run(
        [sys.executable, "-m", "shopdesk", "reship", "M-001", "--missing", "NAME-TAG=3", "--cause", "packing"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Replacement order M-001-R1 for order M-001"
    replacement, correction = replacement_of(demo_db, "M-001")
    assert [(line.sku, line.quantity) for line in replacement.lines] == [("NAME-TAG", 3)]
    assert correction.kind == CorrectionKind.MISSING
