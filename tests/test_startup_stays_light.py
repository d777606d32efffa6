"""Start-up loads only what the first window needs: documents, PDF rendering and migrations wait
until they are used (measured by `make bench`; this guards it in every test run)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("reportlab", "pypdfium2", "alembic")


def test_opening_a_current_database_and_the_window_code_loads_nothing_heavy(db_path):
    from shopdesk.app import open_shop

    open_shop(str(db_path)).dispose()  # made and migrated here, so the child finds it current
    script = (
        "import sys\n"
        "import shopdesk.cli, shopdesk.ui.application\n"
        "from shopdesk.app import open_shop\n"
        f"open_shop({str(db_path)!r}).dispose()\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == ""
