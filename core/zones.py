"""Time zones by IANA name, checked the same way everywhere."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import InvalidInput


def zone(name: str) -> ZoneInfo:
    """The zone called `name`, or InvalidInput naming it."""
    try:
        return ZoneInfo(name)
    # OSError: a name that is a folder of the zone database ("America") or unreadable.
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise InvalidInput(f"Unknown time zone {name!r}", fields={"tz": [f"Unknown time zone {name!r}."]}) from None


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA name this machine knows, sorted (the admin suggests them in
    this order). Cached: reading the zone database walks the disk."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def _zone_name_set() -> frozenset[str]:
    return frozenset(zone_names())


def is_zone_name(name: str) -> bool:
    """Whether `name` is an IANA zone name: a strict check, unlike ZoneInfo,
    which also opens paths such as "zone.tab" inside the zone database."""
    return name in _zone_name_set()
