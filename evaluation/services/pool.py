"""The expert pool: the supervisor keeps the experts' profiles; each expert keeps their own declared
relationships with suppliers current."""

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from config import clock
from config.exceptions import NotAllowed, NotFound
from evaluation.constants import RelationshipKind
from evaluation.exceptions import EvaluationError
from evaluation.models import ExpertProfile, Relationship
from suppliers.models import Supplier

CATEGORY_CODE_RE = re.compile(r"[A-Z][0-9]{0,11}")
REGION_RE = re.compile(r"[0-9]{2,12}")


def supervisor_require(user: User) -> None:
    if not (user.is_authenticated and user_has_role(user=user, role=Role.SUPERVISOR)):
        raise NotAllowed(_("Only a supervisor may do this."))


def _specialities_clean(specialities: list[str]) -> list[str]:
    cleaned = sorted({str(s).strip().upper() for s in specialities if str(s).strip()})
    bad = [s for s in cleaned if not CATEGORY_CODE_RE.fullmatch(s)]
    if not cleaned or bad:
        raise EvaluationError(
            _("Give at least one speciality as a category code such as A02 or A0201 (not valid: %(bad)s).")
            % {"bad": "、".join(bad) or "—"}
        )
    return cleaned


@transaction.atomic
def expert_profile_save(
    *,
    by: User,
    user: User,
    specialities: list[str],
    region: str,
    employer: Organisation | None = None,
    employer_name: str = "",
    available: bool = True,
) -> ExpertProfile:
    """Put an expert in the pool or change their profile.

    Before: `by` is a supervisor; `user` holds the evaluation expert role. After: the profile exists
    with these values; its pool id never changes."""
    supervisor_require(by)
    if not user_has_role(user=user, role=Role.EVALUATION_EXPERT):
        raise EvaluationError(_("Only a user with the evaluation expert role can be in the pool."))
    region = region.strip()
    if not REGION_RE.fullmatch(region):
        raise EvaluationError(_("The region is a numeric region code such as 310000."))
    values = {
        "specialities": _specialities_clean(specialities),
        "region": region,
        "employer": employer,
        "employer_name": employer_name.strip(),
        "available": available,
        "updated_at": clock.now(),
    }
    profile, _created = ExpertProfile.objects.select_for_update().update_or_create(user=user, defaults=values)
    return profile


def _own_profile(user: User) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        raise NotAllowed(_("You are not in the expert pool."))
    return profile


@transaction.atomic
def relationship_declare(
    *,
    user: User,
    kind: str,
    supplier_id: int,
    started_on: date,
    ended_on: date | None = None,
    detail: str = "",
) -> Relationship:
    """An expert declares a tie with a supplier (employment, directorship, shareholding or control,
    a family tie with its legal representative).

    Before: `user` is in the pool. After: the declaration exists; later draws exclude the expert from
    that supplier's tenders while it is current or ended less than 3 years ago."""
    profile = _own_profile(user)
    if kind not in RelationshipKind.values:
        raise EvaluationError(_("Choose the kind of relationship."))
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise EvaluationError(_("Choose the supplier."))
    if ended_on is not None and ended_on < started_on:
        raise EvaluationError(_("The end date is before the start date."))
    if started_on > clock.today_local():
        raise EvaluationError(_("The start date is in the future."))
    return Relationship.objects.create(
        expert=profile,
        kind=kind,
        supplier=supplier,
        detail=detail.strip(),
        started_on=started_on,
        ended_on=ended_on,
        declared_at=clock.now(),
    )


@transaction.atomic
def relationship_end(*, user: User, relationship_id: int, ended_on: date) -> Relationship:
    """An expert records that a declared tie ended. Declarations are never deleted: a tie that ended
    less than 3 years ago still excludes.

    Before: the declaration is the user's own and current. After: it has its end date."""
    profile = _own_profile(user)
    relationship = Relationship.objects.select_for_update().filter(pk=relationship_id, expert=profile).first()
    if relationship is None:
        raise NotFound()
    if relationship.ended_on is not None:
        raise EvaluationError(_("This relationship has already ended."))
    if ended_on < relationship.started_on or ended_on > clock.today_local():
        raise EvaluationError(_("The end date must be between the start date and today."))
    relationship.ended_on = ended_on
    relationship.save(update_fields=["ended_on"])
    return relationship
