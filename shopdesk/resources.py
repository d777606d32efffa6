"""The one way to find files shipped in ``resources/`` (icons, fonts, templates, sounds).

In a wheel the folder is installed as ``shopdesk/resources``; in a source checkout (or an editable
install) it sits beside the package at the project root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("ShopDesk's resources folder is missing; reinstall ShopDesk.")


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``.

    Raises FileNotFoundError naming the resource when it is not there, so a broken install is
    reported plainly instead of failing later with a confusing error.
    """
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"ShopDesk resource missing: {'/'.join(parts)}")
    return path
