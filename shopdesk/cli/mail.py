"""``shopdesk mail-setup``: the SMTP server for notes to customers; the password goes to the keyring."""

from __future__ import annotations

import getpass
import sys

from shopdesk.mail.smtp import SmtpSettings, save_smtp_settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mail-setup",
        help="set the SMTP server for notes to customers",
        description="Keep the SMTP server, user and from address in the shop's settings, and the password "
        "(asked for, never shown) in the system keyring only.",
    )
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, help="default: 587 with STARTTLS, 465 with SSL")
    parser.add_argument("--user", default="", help="login name (often the email address)")
    parser.add_argument(
        "--from", dest="from_address", required=True, metavar="ADDRESS", help="the sender address"
    )
    security = parser.add_mutually_exclusive_group()
    security.add_argument(
        "--starttls", dest="security", action="store_const", const="starttls", help="(default)"
    )
    security.add_argument("--ssl", dest="security", action="store_const", const="ssl")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input (for scripts)"
    )
    parser.set_defaults(handler=run, security="starttls")


def run(args, db) -> int:
    port = args.port or (465 if args.security == "ssl" else 587)
    settings = SmtpSettings(args.host, port, args.user, args.from_address, args.security)
    password = None
    if args.user:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"Password for {args.user} at {args.host}: ")
    save_smtp_settings(db, settings, password)
    kept = " (password kept in the system keyring)" if password is not None else ""
    print(
        f"Mail goes out through {args.host}:{port} with {args.security.upper()} from {args.from_address}{kept}"
    )
    return 0
