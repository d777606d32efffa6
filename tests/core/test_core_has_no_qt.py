"""The core (everything outside shopdesk/ui) must never import Qt: proven in a clean interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import shopdesk


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(shopdesk.__path__, "shopdesk."):
        if (
            info.name.startswith("shopdesk.ui")
            or ".migrations" in info.name
            or info.name == "shopdesk.__main__"
        ):
            continue
        names.append(info.name)
    return names


def test_core_module_list_is_not_empty():
    names = core_modules()
    assert "shopdesk.db.models" in names
    assert "shopdesk.cli" in names


def test_importing_every_core_module_loads_no_qt():
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the core imported Qt: {result.stdout}"
