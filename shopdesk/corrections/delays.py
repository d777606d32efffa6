"""When the follow-ups of a correction come due: a setting of the shop's.

The follow-up (did the replacement arrive? here is what I changed) comes due some days after the
replacement ships; the gentle return reminder, some days after that, when a wrong item is to come
back. A shop that ships abroad waits longer than one whose parcels arrive in two days, so the
owner sets both once (Settings → Follow-up timing…); a correction made from the command line may
still give its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Setting
from shopdesk.errors import ShopDeskError

DEFAULT_FOLLOW_UP_DAYS = 10
DEFAULT_RETURN_REMINDER_DAYS = 21
# A follow-up later than half a year would reach a customer who has long forgotten the parcel.
MAX_DAYS = 180

DELAYS_KEY = "corrections.follow_up_delays"


@dataclass(frozen=True)
class FollowUpDelays:
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS
    """Days after the replacement ships."""
    return_reminder_days: int = DEFAULT_RETURN_REMINDER_DAYS
    """Days after the replacement ships, when a wrong item is to come back."""


def follow_up_delays(session: Session) -> FollowUpDelays:
    """The shop's setting, or the defaults until the owner sets it."""
    setting = session.get(Setting, DELAYS_KEY)
    if setting is None:
        return FollowUpDelays()
    value = setting.value
    return FollowUpDelays(int(value["follow_up_days"]), int(value["return_reminder_days"]))


def check_days(days: int, what: str) -> int:
    """``days`` if it is a sensible delay; otherwise a sentence saying what is allowed."""
    if not 1 <= days <= MAX_DAYS:
        raise ShopDeskError(
            f"The {what} must come between 1 and {MAX_DAYS} days after the replacement ships."
        )
    return days


def save_follow_up_delays(db: Database, delays: FollowUpDelays) -> None:
    """Keep the owner's delays for the corrections made from now on (those made keep theirs)."""
    value = {
        "follow_up_days": check_days(delays.follow_up_days, "follow-up"),
        "return_reminder_days": check_days(delays.return_reminder_days, "return reminder"),
    }
    with db.unit_of_work() as uow:
        setting = uow.session.get(Setting, DELAYS_KEY)
        if setting is None:
            uow.session.add(Setting(key=DELAYS_KEY, value=value))
        else:
            setting.value = value
        uow.commit()
