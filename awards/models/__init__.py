"""The awards app's models, one module per subject so parallel work does not collide."""

from awards.models.challenge import Challenge, ChallengeEvidence, Complaint
from awards.models.contract import BidSecurityRelease, Contract
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
__all__ += ["BidSecurityRelease", "Challenge", "ChallengeEvidence", "Complaint", "Contract"]
