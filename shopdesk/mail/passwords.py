"""The SMTP password lives in the system keyring only: never in the database, settings, logs or exports."""

from __future__ import annotations

from shopdesk.mail.errors import PasswordStoreError

_HOW_TO_FIX = (
    "ShopDesk keeps the mail password only in the system keyring (GNOME Keyring, KWallet, macOS "
    "Keychain or Windows Credential Locker). Unlock or install one, then run mail set-up again."
)


def keyring_service(host: str) -> str:
    return f"ShopDesk SMTP {host}"


def _keyring():
    """The keyring module, loaded when a password is first needed (it is slow to import)."""
    import keyring
    from keyring.errors import KeyringError

    return keyring, KeyringError


def store_password(host: str, user: str, password: str) -> None:
    """Keep ``password`` in the keyring; raises ``PasswordStoreError`` if the keyring cannot keep it."""
    keyring, KeyringError = _keyring()
    try:
        keyring.set_password(keyring_service(host), user, password)
        kept = keyring.get_password(keyring_service(host), user)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise PasswordStoreError(
            f"The system keyring refused the mail password ({_describe(exc)}). {_HOW_TO_FIX}"
        ) from None
    if kept != password:
        raise PasswordStoreError(f"The system keyring did not keep the mail password. {_HOW_TO_FIX}")


def load_password(host: str, user: str) -> str:
    """The password for ``user`` at ``host``; raises ``PasswordStoreError`` when there is none."""
    keyring, KeyringError = _keyring()
    try:
        password = keyring.get_password(keyring_service(host), user)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise PasswordStoreError(
            f"The system keyring could not be read ({_describe(exc)}). {_HOW_TO_FIX}"
        ) from None
    if password is None:
        raise PasswordStoreError(
            f"No mail password for {user} at {host} in the system keyring. Run mail set-up to enter it."
        )
    return password


def _describe(exc: BaseException) -> str:
    # The exception's class says enough; its text never includes the password, but keep it short.
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
