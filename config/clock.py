"""The one clock: every deadline, period and timestamp in Yizhan is judged by `now()`.

Tests move it with time-machine (which moves `time.time`, and so this function)."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware (UTC inside; rendered in Asia/Shanghai)."""
    return timezone.now()


def today_local():
    """Today's date in the platform's time zone (Asia/Shanghai), for working-day arithmetic."""
    return timezone.localdate(now())
