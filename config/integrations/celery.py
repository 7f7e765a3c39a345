"""Celery: tasks run in process (eager) in the embedded default, on Redis when REDIS_URL is set."""

import environ
from celery.schedules import crontab

env = environ.Env()
REDIS_URL = env.str("REDIS_URL", default="")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the task to be retried
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
CELERY_BEAT_SCHEDULE["approvals-deadlines"] = {
    "task": "approvals.deadlines_check",
    "schedule": 15 * 60,
}  # reminders, escalation
CELERY_BEAT_SCHEDULE["awards-deadlines"] = {
    "task": "awards.deadlines_check",
    "schedule": crontab(minute=20),
}  # hourly: award time limits reminded and escalated
CELERY_BEAT_SCHEDULE["awards-contract-signing"] = {
    "task": "awards.contract_signing_reminders",
    "schedule": crontab(hour=8, minute=10),
}  # daily: contracts to sign within 5 days reminded, overdue ones reported
CELERY_BEAT_SCHEDULE["suppliers-qualification-reminders"] = {  # daily, 08:00 Beijing time
    "task": "suppliers.qualification_reminders_send",
    "schedule": crontab(hour=8, minute=0),
}
CELERY_BEAT_SCHEDULE["workdays-year-warning"] = {  # daily, 08:00: from 1 Nov, mail if next year is unknown
    "task": "workdays.year_warning_send",
    "schedule": crontab(hour=8, minute=5),
}
CELERY_BEAT_SCHEDULE["ledger-verify"] = {  # daily, 02:30 Beijing time: recompute the whole tree
    "task": "ledger.verify_daily",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["bidding-seals"] = {
    "task": "bidding.seals_due",
    "schedule": 60,
}  # the seal at each deadline
CELERY_BEAT_SCHEDULE["bidding-ceremony-tick"] = {
    "task": "bidding.ceremony_tick",
    "schedule": 5,
}  # opening phases by the clock
CELERY_BEAT_SCHEDULE[
    "tenders-search-token-counts"
] = {  # nightly, 03:00 Beijing time: the search starts from rare bigrams
    "task": "tenders.search_token_counts_refresh",
    "schedule": crontab(hour=3, minute=0),
}
CELERY_BEAT_SCHEDULE["reports-ocds-sync"] = {  # new OCDS releases within minutes of an announcement
    "task": "reports.ocds_releases_sync",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["reports-ocds-bulk"] = {  # daily, 01:00 Beijing time: the bulk files of the day before
    "task": "reports.ocds_bulk_build",
    "schedule": crontab(hour=1, minute=0),
}
CELERY_BEAT_SCHEDULE["portal-appointment-reminders"] = {  # daily, 18:00 Beijing time: tomorrow's bookings
    "task": "portal.appointment_reminders",
    "schedule": crontab(hour=18, minute=0),
}
