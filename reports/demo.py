"""Demo: count every demo tender in the statistics. Runs last (reports is the last app): some demo
loaders set a tender's state with `QuerySet.update()`, which the per-save refresh does not see."""

from accounts.demo import Demo
from reports.statistics import statistics_rebuild


def load(demo: Demo) -> None:
    statistics_rebuild()
