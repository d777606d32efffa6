"""Notes and follow-ups received by a real SMTP server (STARTTLS and a login), failures kept for a retry,
follow-ups falling due after the replacement ships, and the password kept out of the database."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import keyring
import pytest
from correction_shop import NOW
from mailserver import PASSWORD, USER
from readback import decode_barcodes
from sqlalchemy import select

from shopdesk.corrections.follow_ups import (
    due_follow_ups,
    follow_up_list,
    mark_done,
    mark_return_received,
    open_returns,
    send_follow_up,
)
from shopdesk.corrections.outbox import (
    message_eml,
    messages_for_order,
    record_handed_over,
    send_message,
    set_customer_email,
    unsent_messages,
)
from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.models import FollowUpKind, MessageChannel, Order, OrderStatus, Setting
from shopdesk.mail.errors import PasswordStoreError
from shopdesk.mail.messages import mailto_url
from shopdesk.mail.smtp import SmtpMailer, SmtpSettings, load_smtp_settings, save_smtp_settings
from shopdesk.orders.status import change_status


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n").strip()


def wrong_rose(shop, **extra) -> CorrectionRequest:
    return CorrectionRequest(
        shop.ids["1041"],
        [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")],
        what_we_will_change="every patch is now scanned against the order before the envelope is sealed.",
        **extra,
    )


def test_the_reship_note_reaches_the_customer_with_its_return_label(shop, mailer, running_smtp):
    result = apologise_and_reship(shop.db, wrong_rose(shop), mailer=mailer, now=NOW)
    assert result.sent is not None and result.sent.sent and result.sent.attempts == 1
    assert running_smtp.logins == [(USER, PASSWORD)]  # the password came from the keyring, over TLS
    [received] = running_smtp.received
    assert received.rcpt_tos == ["maya@example.com"]
    assert received.mail_from == "shop@patches.example"
    message = received.message
    assert message["Subject"] == "Your replacement for order #1041 is on its way"
    assert message["To"] == "maya@example.com"
    body = body_of(message)
    assert body.startswith("Hi Maya,")
    assert "1 × Red Rose patch at no charge, as order 1041-R1" in body
    assert "RMA-1041-1" in body and "no rush" in body
    assert body == result.note.body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "return-label-RMA-1041-1.pdf"
    assert decode_barcodes(attachment.get_content()) == ["RMA-1041-1"]
    with shop.db.reading() as session:
        [kept] = messages_for_order(session, shop.ids["1041"])
        assert kept.is_sent and kept.channel == MessageChannel.SMTP and kept.error is None
        assert unsent_messages(session) == []


def test_a_server_that_is_down_loses_nothing_and_the_note_can_be_sent_again(
    shop, smtp_server, memory_keyring
):
    save_smtp_settings(
        shop.db, SmtpSettings("127.0.0.1", smtp_server.port, USER, "shop@patches.example"), PASSWORD
    )
    mailer = SmtpMailer.from_database(shop.db, ssl_context=smtp_server.client_context())
    result = apologise_and_reship(shop.db, wrong_rose(shop), mailer=mailer, now=NOW)

    assert result.sent is not None and not result.sent.sent
    assert "Could not reach the SMTP server 127.0.0.1" in result.sent.error
    with shop.db.reading() as session:
        replacement = session.get(Order, result.replacement_id)
        assert replacement.number == "1041-R1" and replacement.parent_id == shop.ids["1041"]
        [waiting] = unsent_messages(session)
        assert (waiting.message_id, waiting.attempts, waiting.to) == (
            result.note.message_id,
            1,
            "maya@example.com",
        )
        assert waiting.error == result.sent.error and waiting.body == result.note.body

    smtp_server.start()
    retry = send_message(shop.db, result.note.message_id, mailer)
    assert retry.sent and retry.attempts == 2
    assert [r.message["Subject"] for r in smtp_server.received] == [result.note.subject]
    again = send_message(shop.db, result.note.message_id, mailer)  # already sent: not sent twice
    assert again.sent and len(smtp_server.received) == 1
    with shop.db.reading() as session:
        assert unsent_messages(session) == []


def test_a_wrong_password_is_reported_and_kept_for_a_retry(shop, running_smtp, memory_keyring):
    save_smtp_settings(
        shop.db, SmtpSettings("127.0.0.1", running_smtp.port, USER, "shop@patches.example"), "not-it"
    )
    mailer = SmtpMailer.from_database(shop.db, ssl_context=running_smtp.client_context())
    result = apologise_and_reship(shop.db, wrong_rose(shop), mailer=mailer, now=NOW)
    assert not result.sent.sent and "refused the user name or password" in result.sent.error
    assert running_smtp.received == []


def test_an_etsy_note_goes_by_email_once_an_address_is_added_by_hand(shop, mailer, running_smtp):
    result = apologise_and_reship(
        shop.db, CorrectionRequest(shop.ids["3001"], [OwedLine("ROSE-RED", 1)]), mailer=mailer
    )
    assert result.sent is None and result.note.channel == MessageChannel.PLATFORM
    assert running_smtp.received == []
    with pytest.raises(Exception, match="does not look like an email address"):
        set_customer_email(shop.db, result.note.message_id, "jo at example")
    note = set_customer_email(shop.db, result.note.message_id, "Jo <jo@example.org>")
    assert note.to == "jo@example.org" and note.channel == MessageChannel.SMTP
    assert send_message(shop.db, note.message_id, mailer).sent
    assert running_smtp.received[0].rcpt_tos == ["jo@example.org"]
    with shop.db.reading() as session:
        assert session.get(Order, result.replacement_id).email == "jo@example.org"
        assert session.get(Order, shop.ids["3001"]).email is None  # the platform's order stays as imported


def test_a_note_handed_over_by_hand_is_marked_sent_and_the_eml_opens_ready_to_send(shop):
    result = apologise_and_reship(shop.db, wrong_rose(shop), now=NOW)
    eml = message_eml(shop.db, result.note.message_id)
    assert b"Subject: Your replacement for order #1041 is on its way" in eml
    assert b"To: maya@example.com" in eml and b"return-label-RMA-1041-1.pdf" in eml
    assert result.note.mailto.startswith("mailto:maya@example.com?subject=Your%20replacement")
    note = record_handed_over(shop.db, result.note.message_id, MessageChannel.MAILTO)
    assert note.is_sent and note.channel == MessageChannel.MAILTO


def ship(db, order_id, at=None):
    with db.unit_of_work() as uow:
        order = uow.session.get(Order, order_id)
        for status in (OrderStatus.CHECKED, OrderStatus.PACKED, OrderStatus.SHIPPED):
            change_status(uow.session, order, status)
        uow.commit()


def test_follow_ups_fall_due_after_the_replacement_ships_and_drop_off_once_sent(shop, mailer, running_smtp):
    result = apologise_and_reship(shop.db, wrong_rose(shop), mailer=mailer, now=NOW)
    with shop.db.reading() as session:
        waiting = follow_up_list(session, NOW + timedelta(days=60))
        assert [(item.kind, item.due_at) for item in waiting] == [
            (FollowUpKind.FOLLOW_UP, None),
            (FollowUpKind.RETURN_REMINDER, None),
        ]
        assert due_follow_ups(session, NOW + timedelta(days=60)) == []

    ship(shop.db, result.replacement_id)
    with shop.db.reading() as session:
        follow_up, reminder = follow_up_list(session)
        shipped = follow_up.due_at - timedelta(days=10)
        assert reminder.due_at == shipped + timedelta(days=21)
        assert due_follow_ups(session, shipped + timedelta(days=9)) == []
        assert [item.id for item in due_follow_ups(session, shipped + timedelta(days=10))] == [follow_up.id]

    sent = send_follow_up(shop.db, follow_up.id, mailer)
    assert sent.sent.sent
    received = running_smtp.received[-1]
    assert received.message["Subject"] == "Did your replacement for order #1041 arrive?"
    body = body_of(received.message)
    assert "here is what I've changed: every patch is now scanned against the order" in body
    assert "1041-R1" in body

    later = shipped + timedelta(days=30)
    with shop.db.reading() as session:
        assert [item.kind for item in due_follow_ups(session, later)] == [FollowUpKind.RETURN_REMINDER]
    reminder_note = send_follow_up(shop.db, reminder.id, None).note  # no mailer: written, to hand over
    assert "no rush" in reminder_note.body and "RMA-1041-1" in reminder_note.body
    assert reminder_note.subject == "The return for order #1041, whenever it suits you"
    with shop.db.reading() as session:
        assert open_returns(session)[0][:2] == ("RMA-1041-1", "#1041")
    mark_return_received(shop.db, result.correction_id)
    with shop.db.reading() as session:
        assert due_follow_ups(session, later) == [] and open_returns(session) == []


def test_a_failed_follow_up_is_retried_with_the_same_message_and_can_be_marked_done(
    shop, smtp_server, memory_keyring
):
    save_smtp_settings(
        shop.db, SmtpSettings("127.0.0.1", smtp_server.port, USER, "shop@patches.example"), PASSWORD
    )
    mailer = SmtpMailer.from_database(shop.db, ssl_context=smtp_server.client_context())
    result = apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("BEE", 1)]), now=NOW)
    ship(shop.db, result.replacement_id)
    with shop.db.reading() as session:
        [item] = follow_up_list(session)
    first = send_follow_up(shop.db, item.id, mailer)
    assert not first.sent.sent
    with shop.db.reading() as session:
        [still] = follow_up_list(session)
        assert still.last_error and still.message_id == first.note.message_id
    smtp_server.start()
    second = send_follow_up(shop.db, item.id, mailer)
    assert second.sent.sent and second.note.message_id == first.note.message_id and second.sent.attempts == 2
    with shop.db.reading() as session:
        assert follow_up_list(session) == []

    other = apologise_and_reship(shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("FERN", 1)]), now=NOW)
    with shop.db.reading() as session:
        [item] = follow_up_list(session)
        assert item.replacement_number == other.replacement_number
    mark_done(shop.db, item.id)
    with shop.db.reading() as session:
        assert follow_up_list(session) == []


def test_the_password_lives_only_in_the_keyring(shop, db_path, memory_keyring):
    secret = "Tr0ub4dor&3-unique-secret"
    save_smtp_settings(shop.db, SmtpSettings("smtp.example.com", 587, USER, "shop@patches.example"), secret)
    assert keyring.get_password("ShopDesk SMTP smtp.example.com", USER) == secret
    with shop.db.reading() as session:
        assert load_smtp_settings(session).host == "smtp.example.com"
        values = [repr(s.value) for s in session.scalars(select(Setting))]
    assert not any(secret in value for value in values)
    shop.db.engine.dispose()
    files = [db_path, *db_path.parent.glob(db_path.name + "-*")]
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data and secret.encode("utf-16-le") not in data
    assert b"smtp.example.com" in b"".join(p.read_bytes() for p in files)  # the settings did land


def test_a_keyring_that_cannot_keep_the_password_says_so_and_saves_nothing(shop):
    from keyring.backends import fail, null

    before = keyring.get_keyring()
    try:
        for backend in (fail.Keyring(), null.Keyring()):
            keyring.set_keyring(backend)
            with pytest.raises(PasswordStoreError, match="system keyring"):
                save_smtp_settings(shop.db, SmtpSettings("smtp.example.com", 587, USER, "a@b.example"), "pw")
            with shop.db.reading() as session:
                assert load_smtp_settings(session) is None
    finally:
        keyring.set_keyring(before)


def test_a_password_is_never_sent_without_encryption():
    with pytest.raises(Exception, match="never sent without encryption"):
        SmtpSettings("localhost", 25, USER, "a@b.example", "none")


def test_mailto_links_carry_subject_and_body_encoded():
    url = mailto_url("maya@example.com", "Order #1041 & more", "Hi Maya,\n\nSorry!")
    assert (
        url == "mailto:maya@example.com?subject=Order%20%231041%20%26%20more&body=Hi%20Maya%2C%0A%0ASorry%21"
    )
