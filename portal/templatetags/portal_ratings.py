"""Template tags of service ratings: the rating block of an application page, the summary on a
guide page and the table per department on the statistics page."""

from django import template

from portal.citizen_forms import RatingForm
from portal.citizen_models import ServiceRating
from portal.services import ratings

register = template.Library()


@register.simple_tag(takes_context=True)
def application_rating(context, application) -> dict:
    user = context.get("user")
    rating = ServiceRating.objects.filter(application=application).first()
    rateable = (
        rating is None
        and user is not None
        and user.is_authenticated
        and user.pk == application.applicant_id
        and application.status in ratings.RATEABLE
    )
    return {"rating": rating, "rateable": rateable, "form": RatingForm() if rateable else None}


@register.inclusion_tag("portal/ratings/_summary.html")
def service_rating_summary(service) -> dict:
    return {"summary": ratings.rating_summary(service=service)}


@register.inclusion_tag("portal/ratings/_by_department.html")
def ratings_per_department() -> dict:
    return {"rows": ratings.ratings_by_department()}
