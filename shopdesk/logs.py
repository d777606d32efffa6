"""Logging to a rotating file in the user's log folder, readable by the owner only."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from shopdesk.config import log_dir

LOG_FILE_NAME = "shopdesk.log"


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        os.chmod(path, 0o600)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
