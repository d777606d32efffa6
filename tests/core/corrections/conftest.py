from correction_shop import mailer, shop  # noqa: F401
from mailserver import memory_keyring, running_smtp, smtp_server  # noqa: F401
