"""The awards app's models, one module per subject so parallel work does not collide."""

from awards.models.decision import AwardDecision
from awards.models.publicity import CandidateObjection, CandidatePublicity
from awards.models.result import BidderNotice, DeadlineAlert, ResultAnnouncement

__all__ = [
    "AwardDecision",
    "BidderNotice",
    "CandidateObjection",
    "CandidatePublicity",
    "DeadlineAlert",
    "ResultAnnouncement",
]
