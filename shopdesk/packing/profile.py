"""The shop profile every document prints: kept in the database so all stations share it."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Setting
from shopdesk.documents.data import ShopProfile

PROFILE_KEY = "shop.profile"

# Until the owner fills in her own, documents carry this; the window asks for the real one first.
PLACEHOLDER_PROFILE = ShopProfile(
    name="Your Patch Shop",
    address_lines=("Set your shop's address in Settings",),
    thank_you_text="Thank you for your order!",
)

DEMO_PROFILE = ShopProfile(
    name="Belt Drive Betty Patches",
    address_lines=("14 Harness Lane", "Sudbury ON P3E 2C6", "Canada"),
    email="hello@beltdrivebetty.example",
    phone="+1 705 555 0142",
    website="beltdrivebetty.example",
    thank_you_text="Thank you for riding with us! Every patch is embroidered and packed by hand. "
    "If anything is not right, write to me and I will put it right at once. — Betty",
)


def profile_to_json(profile: ShopProfile) -> dict[str, Any]:
    data = dataclasses.asdict(profile)
    data["address_lines"] = list(profile.address_lines)
    data["return_address_lines"] = list(profile.return_address_lines)
    data["logo_path"] = str(profile.logo_path) if profile.logo_path else None
    return data


def profile_from_json(data: dict[str, Any]) -> ShopProfile:
    known = {field.name for field in dataclasses.fields(ShopProfile)}
    values = {key: value for key, value in data.items() if key in known}
    values["address_lines"] = tuple(values.get("address_lines", ()))
    values["return_address_lines"] = tuple(values.get("return_address_lines", ()))
    return ShopProfile(**values)


def stored_profile(session: Session) -> ShopProfile | None:
    setting = session.get(Setting, PROFILE_KEY)
    return profile_from_json(setting.value) if setting else None


def shop_profile(session: Session) -> ShopProfile:
    return stored_profile(session) or PLACEHOLDER_PROFILE


def save_profile(db: Database, profile: ShopProfile) -> None:
    with db.unit_of_work() as uow:
        put_profile(uow.session, profile)
        uow.commit()


def put_profile(session: Session, profile: ShopProfile) -> None:
    setting = session.get(Setting, PROFILE_KEY)
    if setting is None:
        session.add(Setting(key=PROFILE_KEY, value=profile_to_json(profile)))
    else:
        setting.value = profile_to_json(profile)
