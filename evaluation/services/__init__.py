"""Evaluation's writes, by noun: the pool, draws, the workspace (findings and scores), flags."""

from evaluation.services.draws import (
    buyer_representative_appoint,
    committee_draw,
    committee_shape,
    draw_candidates,
    member_respond,
    settings_for,
)
from evaluation.services.pool import expert_profile_save, relationship_declare, relationship_end

__all__ = [
    "buyer_representative_appoint",
    "committee_draw",
    "committee_shape",
    "draw_candidates",
    "expert_profile_save",
    "member_respond",
    "relationship_declare",
    "relationship_end",
    "settings_for",
]
