"""Pages of the citizen services: rating an application and the department's follow-up, tracking
without signing in, offices and appointments. Thin adapters over portal.services.ratings, tracking
and appointments."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.http import AuthenticatedHttpRequest, client_address
from config import clock
from config.exceptions import DomainError
from portal.citizen_forms import BookingForm, FollowUpForm, RatingForm, TrackForm
from portal.citizen_models import Appointment, AppointmentStatus, Office, ServiceRating
from portal.models import Service
from portal.selectors import application_for
from portal.services import appointments, ratings, tracking

# ---------------------------------------------------------------- ratings


@login_required
@require_POST
def application_rate(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = application_for(user=request.user, reference=reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating = ratings.rating_submit(
                user=request.user,
                application=application,
                grade=form.cleaned_data["grade"],
                reasons=form.cleaned_data["reasons"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            # A missing reason or comment is shown at its field, linked from the error summary.
            field = {"rating_reasons": "reasons", "rating_comment": "comment"}.get(exc.code)
            form.add_error(field, exc.message)
        else:
            messages.success(
                request,
                _("Thank you for your rating. The department follows it up by %(due)s.")
                % {"due": rating.follow_up_due}
                if rating.is_bad
                else _("Thank you for your rating."),
            )
            return redirect("portal:application", reference=reference)
    return render(request, "portal/ratings/rate.html", {"application": application, "form": form}, status=400)


@login_required
def staff_ratings(request: AuthenticatedHttpRequest) -> HttpResponse:
    follow_ups = ratings.follow_ups_open_for(user=request.user)
    return render(
        request, "portal/ratings/staff_list.html", {"follow_ups": follow_ups, "today": clock.today_local()}
    )


@login_required
def staff_rating(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(
        ServiceRating.objects.select_related("application", "service", "department"), pk=pk
    )
    if not ratings.is_rating_staff(user=request.user, rating=rating):
        raise Http404
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rating_follow_up_answer(
                user=request.user, rating=rating, answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your answer was sent to the applicant."))
            return redirect("portal:staff_rating", pk=pk)
    return render(
        request,
        "portal/ratings/staff_rating.html",
        {"rating": rating, "form": form, "today": clock.today_local()},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- tracking without signing in


def track(request: HttpRequest) -> HttpResponse:
    """办件查询: by POST, so the ID number or phone stays out of URLs and logs."""
    result = None
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            address = client_address(request)
            try:
                result = tracking.application_track(
                    reference=form.cleaned_data["reference"],
                    identity=form.cleaned_data["identity"],
                    address=address,
                )
            except tracking.TrackingThrottled as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                if result is None:
                    form.add_error(
                        None,
                        _(
                            "No application matches this number and ID number or phone. Check both: "
                            "they must be as given in the application."
                        ),
                    )
            audit_record(
                action="portal.track " + ("found" if result else "not_found"),
                operator=request.user if request.user.is_authenticated else None,
                address=address,
                path=request.path,
                status=status,
            )
    else:
        form = TrackForm()
    return render(request, "portal/track/track.html", {"form": form, "result": result}, status=status)


# ---------------------------------------------------------------- offices and appointments


def offices(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/appointments/offices.html",
        {"offices": Office.objects.select_related("department").all()},
    )


def office(request: HttpRequest, code: str) -> HttpResponse:
    """An office's hours and, for a chosen day, its slots; booking needs signing in (POST)."""
    place = get_object_or_404(Office.objects.select_related("department"), code=code)
    day, problem, status = None, None, 200
    raw = request.GET.get("day") or request.POST.get("day")
    form = BookingForm(request.POST or None, initial={"day": raw})
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            problem, status = _("Enter a date such as 2026-12-09."), 400
        else:
            problem = appointments.day_problem(place, day)
            status = 400 if problem else 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid() and not problem:
            try:
                booked = appointments.appointment_book(
                    user=request.user,
                    office=place,
                    day=form.cleaned_data["day"],
                    start=form.cleaned_data["start"],
                    service=Service.objects.filter(code=request.POST.get("service", "")).first(),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Booked: %(office)s, %(day)s %(time)s, number %(number)s.")
                    % {
                        "office": place.name,
                        "day": booked.date.isoformat(),
                        "time": booked.start.strftime("%H:%M"),
                        "number": booked.number,
                    },
                )
                return redirect("portal:my_appointments")
        else:
            status = 400
    return render(
        request,
        "portal/appointments/office.html",
        {
            "office": place,
            "form": form,
            "day": day if not problem else None,
            "slots": appointments.slots(place, day) if day and not problem else [],
            "days": appointments.bookable_days(place)[:15],
            "hours": appointments.opening_summary(place),
            "problem": problem,
            "day_value": raw or "",
        },
        status=status,
    )


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
def my_appointments(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = Appointment.objects.filter(user=request.user).select_related("office").order_by("-date", "-start")
    return render(
        request,
        "portal/appointments/mine.html",
        {"appointments": mine, "booked": AppointmentStatus.BOOKED, "today": clock.today_local()},
    )


@login_required
@require_POST
def appointment_cancel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    appointment = Appointment.objects.filter(number=number, user=request.user).first()
    if appointment is None:
        raise Http404
    try:
        appointments.appointment_cancel(user=request.user, appointment=appointment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The appointment %(number)s is cancelled.") % {"number": number})
    return redirect("portal:my_appointments")
