"""What a member can be told about, and how often. Pure Python: the rules the digest job and
the preferences page share."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta


class Kind(enum.StrEnum):
    INTEREST_RECEIVED = "interest_received"
    INTEREST_ANSWERED = "interest_answered"  # accepted or declined
    INTEREST_MESSAGE = "interest_message"
    NEW_MATCHES = "new_matches"
    LISTING_STATUS = "listing_status"  # moderators' decisions, reminders before a listing closes
    SAVED_SEARCH = "saved_search"  # new listings for a saved search: always in a digest


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


# The kinds a member sets a frequency for; saved searches carry their own, one per search.
CHOOSABLE = (Kind.INTEREST_RECEIVED, Kind.INTEREST_ANSWERED, Kind.INTEREST_MESSAGE, Kind.NEW_MATCHES,
             Kind.LISTING_STATUS)

# Conversations are answered best while they are fresh; suggestions are many and can wait a day.
DEFAULTS = {
    Kind.INTEREST_RECEIVED: Frequency.IMMEDIATELY,
    Kind.INTEREST_ANSWERED: Frequency.IMMEDIATELY,
    Kind.INTEREST_MESSAGE: Frequency.IMMEDIATELY,
    Kind.NEW_MATCHES: Frequency.DAILY,
    Kind.LISTING_STATUS: Frequency.IMMEDIATELY,
}


def frequency_for(kind: Kind, chosen: dict[Kind, Frequency]) -> Frequency:
    return chosen.get(kind, DEFAULTS.get(kind, Frequency.DAILY))


def digest_period(frequency: Frequency, now: datetime) -> date:
    """The first day of the period a digest run at ``now`` belongs to (UTC days, ISO weeks).
    One digest per member, frequency and period: running the job again in the same period
    finds that digest already recorded and sends nothing."""
    if frequency == Frequency.DAILY:
        return now.date()
    if frequency == Frequency.WEEKLY:
        return now.date() - timedelta(days=now.weekday())
    raise ValueError(f"{frequency} has no digest")
