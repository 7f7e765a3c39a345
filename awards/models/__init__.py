"""The awards app's models, one module per subject so parallel work does not collide."""

from awards.models.challenge import Challenge, ChallengeEvidence, Complaint
from awards.models.contract import BidSecurityRelease, Contract
from awards.models.decision import AwardDecision

__all__ = ["AwardDecision"]
__all__ += ["BidSecurityRelease", "Challenge", "ChallengeEvidence", "Complaint", "Contract"]
