from mistake_shop import mistake_shop, mistake_template  # noqa: F401
