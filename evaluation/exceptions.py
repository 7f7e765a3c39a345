"""Evaluation's refusals, each with a message a person can act on."""

from config.exceptions import Conflict, DomainError, NotAllowed


class EvaluationError(DomainError):
    code = "evaluation_invalid"


class DrawRefused(Conflict):
    code = "draw_refused"


class WorkspaceClosed(NotAllowed):
    code = "workspace_closed"


class ScoresHidden(NotAllowed):
    code = "scores_hidden"
