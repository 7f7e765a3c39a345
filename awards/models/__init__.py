"""The awards app's models, one module per subject so parallel work does not collide."""

from awards.models.decision import AwardDecision

__all__ = ["AwardDecision"]
