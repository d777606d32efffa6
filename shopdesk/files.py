"""Writing files so that a crash half-way never leaves a half-written one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shopdesk.errors import ShopDeskError


class WriteFailed(ShopDeskError, OSError):
    """A file could not be written (a full disk, a folder that went away); the old one is intact."""

    def __str__(self) -> str:
        return str(self.strerror)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename it.

    On any failure the temporary file is removed, ``path`` keeps what it held, and ``WriteFailed``
    says why in words for the owner.
    """
    path = Path(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise WriteFailed(
            exc.errno, f"Could not write {path}: {reason}. Nothing was changed in that file."
        ) from exc
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise
