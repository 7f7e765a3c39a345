"""Replay a committee draw from its two ledger entries alone and print the drawn pool ids."""

from django.core.management.base import BaseCommand, CommandError

from evaluation.draw import ReplayMismatch, draw_replay
from ledger.selectors import ledger_entries


def published_draw(reference: str, sequence: int) -> tuple[dict, dict]:
    """The commit and reveal payloads of draw `sequence` of tender `reference`, from the ledger."""
    entries = {}
    for kind in ("yizhan/evaluation-draw-commit", "yizhan/evaluation-draw-reveal"):
        entry = (
            ledger_entries(kind=kind)
            .filter(document__payload__tender=reference, document__payload__draw=sequence)
            .first()
        )
        if entry is None:
            raise CommandError(f"no {kind} entry for {reference} draw {sequence}")
        entries[kind] = entry.document["payload"]
    return entries["yizhan/evaluation-draw-commit"], entries["yizhan/evaluation-draw-reveal"]


class Command(BaseCommand):
    help = (
        "Recompute a committee draw from the ledger: check the candidate list against its SHA-256 "
        "and the seed against its commitment, rank candidates by HMAC-SHA256(seed, pool id) and "
        "print the drawn pool ids (see docs/evaluation.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("tender", help="tender reference, e.g. YZ-2026-000001")
        parser.add_argument("--draw", type=int, default=0, help="draw number (default: every draw)")

    def handle(self, *args, tender: str, draw: int, **options):
        sequences = (
            [draw]
            if draw
            else sorted(
                {
                    int(e.document["payload"]["draw"])
                    for e in ledger_entries(kind="yizhan/evaluation-draw-commit").filter(
                        document__payload__tender=tender
                    )
                }
            )
        )
        if not sequences:
            raise CommandError(f"no draw of {tender} in the ledger")
        for sequence in sequences:
            commit, reveal = published_draw(tender, sequence)
            try:
                selected = draw_replay(commit=commit, reveal=reveal)
            except ReplayMismatch as error:
                raise CommandError(f"draw {sequence}: {error}") from error
            self.stdout.write(
                f"draw {sequence} ({commit['purpose']}): {len(commit['candidates'])} candidates, "
                f"{commit['seats']} drawn: {' '.join(selected)} — matches the published selection"
            )
