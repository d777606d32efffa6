from mailserver import memory_keyring, running_smtp, smtp_server  # noqa: F401
