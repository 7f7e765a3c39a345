"""Every write on awards: the candidates' publicity and objections, the award decision through its
approval flow (and sending it back), the result announcement and each bidder's notice, and the
reminders and escalations of the award time limits. What follows the award (challenges, complaints,
contracts, bid-security releases) lives in its own modules, imported by their full names:
`awards.services.challenges`, `.complaints`, `.contracts`, `.securities`."""

from awards.services.alerts import award_deadlines_check
from awards.services.decision import (
    award_decision_approved,
    award_decision_propose,
    award_decision_reopen,
)
from awards.services.publicity import (
    candidate_objection_answer,
    candidate_objection_raise,
    candidate_publicity_publish,
)
from awards.services.result import result_announce

__all__ = [
    "award_deadlines_check",
    "award_decision_approved",
    "award_decision_propose",
    "award_decision_reopen",
    "candidate_objection_answer",
    "candidate_objection_raise",
    "candidate_publicity_publish",
    "result_announce",
]
