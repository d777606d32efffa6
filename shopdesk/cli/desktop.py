"""``shopdesk desktop-entry``: put ShopDesk in the system's application menu (freedesktop.org)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from shopdesk.resources import resource_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "desktop-entry",
        help="add ShopDesk to the application menu",
        description="Install ShopDesk's desktop entry and icon for this user, so that it starts "
        "from the system's application menu.",
    )
    parser.set_defaults(handler=run, needs_database=False)


def applications_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def install_desktop_entry(data_home: Path, executable: str) -> Path:
    entry = resource_path("shopdesk.desktop").read_text(encoding="utf-8")
    entry = entry.replace("Exec=shopdesk", f"Exec={executable}")
    icon_dir = data_home / "icons" / "hicolor" / "scalable" / "apps"
    icon_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource_path("icons", "shopdesk.svg"), icon_dir / "shopdesk.svg")
    target = data_home / "applications" / "shopdesk.desktop"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".desktop.partial")
    partial.write_text(entry, encoding="utf-8")
    partial.replace(target)
    return target


def run(args, db) -> int:
    executable = shutil.which("shopdesk") or f"{sys.executable} -m shopdesk"
    target = install_desktop_entry(applications_home(), executable)
    print(f"ShopDesk is in the application menu ({target}).")
    return 0
