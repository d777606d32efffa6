"""Which backups are kept: everything of the last day, then 12 daily, 10 weekly, 9 monthly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopdesk.db.backup import DAILY, MONTHLY, WEEKLY, backups_to_keep

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)


def _one_a_day(days: int, hour: int = 3) -> list[datetime]:
    start = NOW.replace(hour=hour) - timedelta(days=days - 1)
    return [start + timedelta(days=n) for n in range(days)]


def test_a_year_of_daily_backups_thins_to_the_last_day_12_days_10_weeks_9_months():
    times = _one_a_day(400)

    kept = sorted(backups_to_keep(times, NOW), reverse=True)

    # Today's (younger than a day) is kept on top of the 12 + 10 + 9.
    assert len(kept) == 1 + DAILY + WEEKLY + MONTHLY
    assert kept[: 1 + DAILY] == sorted(times, reverse=True)[: 1 + DAILY]
    older = kept[1 + DAILY :]
    daily_weeks = {time.isocalendar()[:2] for time in kept[: 1 + DAILY]}
    assert len({time.isocalendar()[:2] for time in older} - daily_weeks) >= WEEKLY
    daily_months = {(time.year, time.month) for time in kept[: 1 + DAILY]}
    assert len({(time.year, time.month) for time in older} - daily_months) >= MONTHLY
    assert NOW - kept[-1] > timedelta(days=240)


def test_the_newest_backup_of_a_day_stands_for_it():
    day = NOW - timedelta(days=3)
    times = [day.replace(hour=h) for h in (8, 12, 17)]
    assert backups_to_keep(times, NOW) == {day.replace(hour=17)}


def test_every_backup_of_the_last_day_is_kept_however_many():
    times = [NOW - timedelta(minutes=30 * n) for n in range(47)]
    assert backups_to_keep(times, NOW) == set(times)


def test_pruning_every_day_for_two_years_keeps_nine_months_of_history():
    """What the app really does: a backup or several each day, thinned after each one."""
    kept: set[datetime] = set()
    day = NOW - timedelta(days=730)
    while day <= NOW:
        for hour in (9, 13, 18):
            now = day.replace(hour=hour)
            kept.add(now)
            kept = backups_to_keep(kept, now)
        day += timedelta(days=1)

    assert len(kept) <= DAILY + WEEKLY + MONTHLY + 3
    newest_first = sorted(kept, reverse=True)
    assert newest_first[0] == NOW.replace(hour=18)
    assert NOW - newest_first[-1] > timedelta(days=240)
    # Older than the last day: one a day for 12 days, then at most one a week.
    days = [time.date() for time in newest_first if NOW - time > timedelta(days=1)]
    assert len(days) == len(set(days))
