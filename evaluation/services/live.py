"""Announcements to whoever follows an evaluation live (evaluation/consumers.py): only that the
progress changed; each follower's consumer reads the counts it may see."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def progress_announce_on_commit(tender_id: int) -> None:
    """After the transaction commits, tell the tender's progress followers to refresh their counts."""

    def announce() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(f"evaluation.{tender_id}", {"type": "progress.changed"})

    transaction.on_commit(announce)
