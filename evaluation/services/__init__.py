"""Evaluation's writes, by noun: the pool, draws, the workspace (findings and scores), flags."""

from evaluation.services.draws import (
    buyer_representative_appoint,
    committee_draw,
    draw_candidates,
    member_respond,
)
from evaluation.services.pool import expert_profile_save, relationship_declare, relationship_end
from evaluation.services.report import evaluation_report_issue
from evaluation.services.settings import evaluation_settings_save
from evaluation.services.workspace import (
    bid_attachment_read,
    bid_form_read,
    dissent_record,
    finding_record,
    reviews_submit,
    score_record,
    scores_submit,
)

__all__ = [
    "evaluation_settings_save",
    "evaluation_report_issue",
    "bid_attachment_read",
    "bid_form_read",
    "dissent_record",
    "finding_record",
    "reviews_submit",
    "score_record",
    "scores_submit",
    "buyer_representative_appoint",
    "committee_draw",
    "draw_candidates",
    "expert_profile_save",
    "member_respond",
    "relationship_declare",
    "relationship_end",
]
