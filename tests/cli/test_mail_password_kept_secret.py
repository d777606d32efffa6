"""The SMTP password lives only in the system keyring: never in the log (even at DEBUG), the settings,
the database, its backups or the exported .eml files, and never on the screen either.

Mail goes through a real SMTP server with STARTTLS and a login: sent, refused by a server that quotes
the login in its reply, refused for a wrong password (quoted too), with the server down, and sent at
last. Every file ShopDesk wrote is then searched for the password as text, as UTF-16, and in the
base64 forms a login sends it in.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from pathlib import Path

import pytest
from mailserver import PASSWORD, USER
from sqlalchemy import select

import shopdesk.cli as cli_module
from shopdesk.cli import main
from shopdesk.db.models import SentMessage
from shopdesk.logs import log_dir, setup_logging

WRONG = "Wr0ng-Guess-77?"
# smtplib cannot send this one at all: its exception would carry the login whole.
UNSENDABLE = "Pässwort-Ünique-9"


def secret_forms(password: str) -> list[bytes]:
    """The password as it could be written: as text, as UTF-16, and as an SMTP login sends it."""
    return [
        password.encode(),
        password.encode("utf-16-le"),
        base64.b64encode(password.encode()),  # AUTH LOGIN
        base64.b64encode(f"\0{USER}\0{password}".encode()),  # AUTH PLAIN
    ]


def files_under(*folders: Path) -> list[Path]:
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def debug_log(monkeypatch):
    """Every ``shopdesk`` command logs at DEBUG into its rotating log, SQLAlchemy's statements with
    their values too; the test server's own log of what it receives (the login too) is kept out of
    it: that is the server's, not ShopDesk's."""
    root, statements = logging.getLogger(), logging.getLogger("sqlalchemy.engine")
    levels = root.level, statements.level
    monkeypatch.setattr(cli_module, "setup_logging", lambda: setup_logging(logging.DEBUG))
    statements.setLevel(logging.INFO)
    monkeypatch.setattr(logging.getLogger("mail.log"), "propagate", False)
    yield log_dir()
    root.setLevel(levels[0])
    statements.setLevel(levels[1])


def test_the_mail_password_is_never_written_or_shown(
    demo_db, tmp_path, monkeypatch, capsys, smtp_server, memory_keyring, debug_log
):
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.cert_file))  # the test server is trusted
    notes = tmp_path / "notes"
    notes.mkdir()
    smtp_server.start()
    shown = []

    def shopdesk(*args: str) -> int:
        code = main(["--db", str(demo_db.sqlite_path), *args])
        captured = capsys.readouterr()
        shown.append(captured.out + captured.err)
        return code

    def mail_setup(password: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert shopdesk(
            "mail-setup", "--host", "127.0.0.1", "--port", str(smtp_server.port), "--user", USER,
            "--from", "hello@beltdrivebetty.example", "--starttls", "--password-stdin",
        ) == 0  # fmt: skip

    mail_setup(PASSWORD)
    reship = ["--cause", "packing", "--send", "--out", str(notes)]
    assert shopdesk("reship", "101", "--missing", "WING-S=1", *reship) == 0
    assert "Note sent to tanaka@example.jp" in shown[-1]

    # The server refuses the message, quoting the login in its reply.
    login = secret_forms(PASSWORD)[-1].decode()
    smtp_server.refuse_data = f"554 5.7.1 Not from {USER} (password {PASSWORD}, login {login}) today"
    assert shopdesk("reship", "4001", "--missing", "SKULL-BLK=1", *reship) == 1
    assert "did not take the message: 554 5.7.1 Not from" in shown[-1], shown[-1]
    assert shown[-1].count("(password left out)") == 2, shown[-1]
    with demo_db.reading() as session:
        message_id = str(session.scalar(select(SentMessage.id).where(SentMessage.sent_at.is_(None))))

    # A wrong password, refused with a reply that quotes it.
    smtp_server.refuse_data = None
    smtp_server.refuse_login = f"535 5.7.8 {USER} / {WRONG} is not right"
    mail_setup(WRONG)
    assert shopdesk("outbox", "--send", message_id) == 1
    assert "refused the user name or password" in shown[-1], shown[-1]

    # A password that cannot be sent.
    mail_setup(UNSENDABLE)
    assert shopdesk("outbox", "--send", message_id) == 1
    assert "has characters (like é or ü) that cannot be sent" in shown[-1], shown[-1]

    # The right password again, and the server is down.
    mail_setup(PASSWORD)
    smtp_server.stop()
    assert shopdesk("outbox", "--send", message_id) == 1
    assert "Could not reach the SMTP server" in shown[-1], shown[-1]

    smtp_server.start()
    assert shopdesk("outbox", "--send", message_id) == 0
    assert shopdesk("backup") == 0
    # Sent, refused, wrong (tried as PLAIN, then as LOGIN), sent: the passwords did reach the server.
    assert [password for _, password in smtp_server.logins] == [PASSWORD, PASSWORD, WRONG, WRONG, PASSWORD]
    assert len(smtp_server.received) == 2

    demo_db.dispose()
    config = Path(os.environ["XDG_CONFIG_HOME"])  # where settings outside the database would go
    written = files_under(debug_log, config, tmp_path)
    names = {path.name for path in written}
    assert {"shopdesk.log", "shop.db", "reship-note-101-R1.eml", "reship-note-4001-R1.eml"} <= names, names
    assert any(path.parent.name == "backups" for path in written)
    log_text = (debug_log / "shopdesk.log").read_text(encoding="utf-8")
    assert "DEBUG" in log_text and "sent_messages" in log_text  # it did log at DEBUG, the SQL too
    for password in (PASSWORD, WRONG, UNSENDABLE):
        for form in secret_forms(password):
            for path in written:
                assert form not in path.read_bytes(), f"{form!r} written in {path}"
            assert not any(form.decode("utf-8", "replace") in text for text in shown), form
