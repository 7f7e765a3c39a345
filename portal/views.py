"""Pages of the one-stop portal: thin adapters over portal.services and portal.selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from approvals import selectors as approval_selectors
from approvals import services as approval_services
from config import clock
from config.exceptions import DomainError
from config.params import int_param
from portal import formschema, services
from portal.approval import approval_instance
from portal.constants import (
    DEFAULT_WIDGETS,
    ApplicationStatus,
    ArticleKind,
    Audience,
    CategoryKind,
    PaymentStatus,
    Widget,
)
from portal.exceptions import ApplicationIncomplete, NotDepartmentStaff
from portal.forms import (
    AnswerForm,
    DecisionForm,
    EnquiryForm,
    LookupForm,
    PreferencesForm,
    RefundForm,
    RefuseForm,
    SubscribeForm,
    WidgetsForm,
)
from portal.models import Application, Article, Category, Enquiry, Message, Payment, Service, Subscription
from portal.payments import enabled_providers, provider
from portal.payments.sandbox import SIGNATURE_HEADER, sign
from portal.search import did_you_mean
from portal.selectors import (
    application_for,
    applications_of,
    categories_by_kind,
    is_application_staff,
    is_lead_staff,
    payment_refundable,
    recommended_services,
    refunds_of,
    service_catalogue,
    service_departments,
    staff_departments,
    staff_queue_filtered,
)
from portal.selectors import (
    enquiry_lookup as enquiry_lookup_for,
)
from portal.services.wallet import reuse_from_post
from search.models import Scope as SearchScope
from search.selectors import popular_searches
from search.services import search_count


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "popular": Service.objects.filter(is_published=True)
            .annotate(n=Count("applications"))
            .order_by("-n", "code")[:6],
            "categories": categories_by_kind(),
            "news": Article.objects.all()[:4],
        },
    )


# ---------------------------------------------------------------- catalogue and guides


def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    audience = request.GET.get("audience", "")
    category = request.GET.get("category", "")
    try:
        department = int(request.GET.get("department") or 0) or None
    except ValueError:
        department = None
    results = service_catalogue(query=query, audience=audience, category=category, department=department)
    if query and results:
        search_count(scope=SearchScope.SERVICES, query=query)
    return render(
        request,
        "portal/services/catalogue.html",
        {
            "results": results,
            "query": query,
            "suggestion": did_you_mean(query, results) if query else None,
            "popular": popular_searches(scope=SearchScope.SERVICES),
            "audience": audience,
            "category": category,
            "department": department,
            "audiences": Audience.choices,
            "categories": categories_by_kind(),
            "kinds": CategoryKind,
            "departments": service_departments(),
        },
    )


def guide(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("department"), code=code, is_published=True)
    saved = request.user.is_authenticated and request.user.saved_services.filter(service=service).exists()
    return render(
        request,
        "portal/services/guide.html",
        {
            "service": service,
            "materials": service.materials.all(),
            "joint": service.joint_departments.all(),
            "saved": saved,
            "sample_fields": formschema.form_fields(service.form_schema, service.form_ui),
        },
    )


def form_pdf(request: HttpRequest, code: str, sample: bool = False) -> HttpResponse:
    """The blank application form, or a filled-in sample, as PDF (free of charge, ALL Art 58)."""
    from reports.pdf import render_pdf

    service = get_object_or_404(Service, code=code, is_published=True)
    fields = formschema.form_fields(service.form_schema, service.form_ui)
    if sample:
        examples = {
            n: (p.get("examples") or [""])[0] for n, p in service.form_schema.get("properties", {}).items()
        }
        for f in fields:
            f.value = examples.get(f.name, "")
            if f.choices:
                f.value = dict(f.choices).get(str(f.value), f.value)
    pdf = render_pdf(
        "portal/services/form_pdf.html",
        {"service": service, "fields": fields, "sample": sample, "materials": service.materials.all()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{service.code}-{"sample" if sample else "form"}.pdf"'
    )
    return response


@login_required
@require_POST
def service_save_toggle(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service, code=code, is_published=True)
    saved = services.saved_service_toggle(user=request.user, service=service)
    messages.success(
        request, _("Saved to your personal centre.") if saved else _("Removed from your saved services.")
    )
    return redirect("portal:guide", code=code)


@login_required
@require_POST
def apply(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service, code=code, is_published=True)
    draft = Application.objects.filter(
        applicant=request.user, service=service, status=ApplicationStatus.DRAFT
    ).first()
    if draft is None:
        from portal.services.realname import enterprise_of

        # A business service applied for by an enterprise account is the enterprise's application,
        # allowed only for its verified supplier record (portal.services.realname).
        organisation = enterprise_of(user=request.user) if service.audience == Audience.BUSINESS else None
        try:
            draft = services.application_start(user=request.user, service=service, organisation=organisation)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("portal:guide", code=code)
    return redirect("portal:application", reference=draft.reference)


# ---------------------------------------------------------------- applications (applicant)


def _progress_context(application: Application, user) -> dict:
    instance = approval_instance(application)
    return {
        "application": application,
        "events": application.events.select_related("department").all(),
        "timeline": approval_selectors.timeline(instance=instance) if instance else [],
        "instance": instance,
    }


@login_required
def application_page(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(user=request.user, reference=reference)
    if application.applicant_id != request.user.id:
        return redirect("portal:staff_application", reference=reference)
    service = application.service
    problems = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            services.application_save_form(user=request.user, application=application, raw=request.POST)
            for material in service.materials.all():
                upload = request.FILES.get(f"m-{material.key}")
                if upload:
                    services.attachment_add(
                        user=request.user, application=application, material_key=material.key, upload=upload
                    )
            # A wallet licence or an earlier file chosen instead of an upload (材料复用).
            reuse_from_post(user=request.user, application=application, data=request.POST)
            application.refresh_from_db()
            if action == "submit":
                services.application_submit(user=request.user, application=application)
                messages.success(request, _("Your application was submitted."))
                return redirect("portal:application", reference=reference)
            if action == "check":
                problems = services.application_check(application)
                if not problems:
                    messages.success(request, _("Nothing is missing."))
            else:
                messages.success(request, _("Draft saved."))
                return redirect("portal:application", reference=reference)
        except ApplicationIncomplete as exc:
            problems = exc.problems
        except DomainError as exc:
            messages.error(request, str(exc))
        application.refresh_from_db()
    editable = application.status in (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION)
    field_errors: dict[str, list[str]] = {}
    for problem in problems or []:
        if problem.target.startswith("field:"):
            field_errors.setdefault(problem.target[6:], []).append(problem.message)
    material_errors = {p.target[9:]: p.message for p in problems or [] if p.target.startswith("material:")}
    attachments = {a.material_key: a for a in application.attachments.filter(superseded=False)}
    complete = editable and not services.application_check(application)
    paid = services._fee_paid(application)
    return render(
        request,
        "portal/applications/application.html",
        {
            **_progress_context(application, request.user),
            "service": service,
            "editable": editable,
            "problems": problems,
            "complete": complete,
            "paid": paid,
            "fields": formschema.form_fields(
                service.form_schema, service.form_ui, application.form_data, field_errors
            ),
            "materials": [
                (m, attachments.get(m.key), material_errors.get(m.key)) for m in service.materials.all()
            ],
            "correction": application.corrections.filter(resolved_at__isnull=True).first(),
            "payments": application.payments.all(),
            "refunds": refunds_of(application=application),
            "summary": formschema.labelled(service.form_schema, service.form_ui, application.form_data),
        },
    )


@login_required
def application_progress(request: HttpRequest, reference: str) -> HttpResponse:
    """The progress region alone, fetched by the page when the server announces a change."""
    application = application_for(user=request.user, reference=reference)
    return render(request, "portal/applications/_progress.html", _progress_context(application, request.user))


@login_required
@require_POST
def application_pay(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(user=request.user, reference=reference)
    payment = services.payment_start(
        user=request.user, application=application, provider_name=request.POST.get("provider", "sandbox")
    )
    return redirect(provider(payment.provider).checkout_url(payment))


@login_required
@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(user=request.user, reference=reference)
    services.application_withdraw(user=request.user, application=application)
    messages.success(request, _("Your application was withdrawn."))
    return redirect("portal:application", reference=reference)


@login_required
def attachment_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    from django.http import FileResponse

    application = application_for(user=request.user, reference=reference)
    attachment = get_object_or_404(application.attachments, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)


# ---------------------------------------------------------------- payments


@login_required
def sandbox_checkout(request: HttpRequest, order_id: str) -> HttpResponse:
    """The SANDBOX provider's own page: nothing is charged. Confirming sends the provider's signed
    notification to the portal exactly as an external gateway would call it back. It exists only
    where the sandbox is enabled (never in a production installation that is not a test one)."""
    if not settings.PAYMENT_SANDBOX_ENABLED:
        raise Http404
    payment = get_object_or_404(
        Payment.objects.select_related("application", "application__service"),
        order_id=order_id,
        provider="sandbox",
        application__applicant=request.user,
    )
    if request.method == "POST" and payment.status == PaymentStatus.PENDING:
        body = provider("sandbox").notification_body(
            order_id=payment.order_id, amount=payment.amount, succeeded=request.POST.get("result") != "fail"
        )
        result = services.payment_notification_receive(
            provider_name="sandbox", headers={SIGNATURE_HEADER: sign(body)}, body=body
        )
        if result.outcome == PaymentStatus.PAID:
            messages.success(request, _("Payment received (sandbox)."))
        else:
            messages.error(request, _("The payment did not go through."))
        return redirect("portal:application", reference=payment.application.reference)
    return render(request, "portal/applications/sandbox_checkout.html", {"payment": payment})


@csrf_exempt
@require_POST
def payment_notify(request: HttpRequest, provider_name: str) -> HttpResponse:
    """Providers call this back; it answers 200 for anything verified (also replays), 400 otherwise."""
    if provider_name not in enabled_providers():
        raise Http404
    result = services.payment_notification_receive(
        provider_name=provider_name, headers=dict(request.headers), body=request.body
    )
    return JsonResponse(
        {"accepted": result.accepted, "outcome": result.outcome}, status=200 if result.accepted else 400
    )


@csrf_exempt
@require_POST
def refund_notify(request: HttpRequest, provider_name: str) -> HttpResponse:
    """Providers call this back with a refund's result; answers as `payment_notify` does."""
    if provider_name not in enabled_providers():
        raise Http404
    result = services.refund_notification_receive(
        provider_name=provider_name, headers=dict(request.headers), body=request.body
    )
    return JsonResponse(
        {"accepted": result.accepted, "outcome": result.outcome}, status=200 if result.accepted else 400
    )


# ---------------------------------------------------------------- staff


def _require_staff(request: HttpRequest) -> None:
    if not staff_departments(user=request.user).exists():
        raise NotDepartmentStaff()


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    status = request.GET.get("status", "open")
    queue = staff_queue_filtered(user=request.user, status=status)
    departments = staff_departments(user=request.user)
    return render(
        request,
        "portal/staff/home.html",
        {
            "queue": queue,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "departments": departments,
            "today": clock.today_local(),
            "services": Service.objects.filter(department__in=departments),
            "enquiries": Enquiry.objects.filter(department__in=departments, status="received").order_by(
                "answer_due"
            ),
            "inbox": approval_selectors.inbox(user=request.user),
        },
    )


@login_required
def staff_application(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(user=request.user, reference=reference)
    if not is_application_staff(user=request.user, application=application):
        return redirect("portal:application", reference=reference)
    instance = approval_instance(application)
    decidable = approval_selectors.decidable_steps(instance=instance, user=request.user) if instance else []
    refuse_form, decision_form = RefuseForm(prefix="refuse"), DecisionForm(prefix="decide")
    refundable = [(p, payment_refundable(p)) for p in application.payments.filter(status=PaymentStatus.PAID)]
    refund_form = RefundForm(prefix="refund", payments=refundable)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "refund":
                refund_form = RefundForm(request.POST, prefix="refund", payments=refundable)
                if not refund_form.is_valid():
                    raise DomainError(_("Check the refund: every problem is shown by its field."))
                data = refund_form.cleaned_data
                refund = services.refund_request(
                    user=request.user,
                    application=application,
                    order_id=data["order_id"],
                    amount=data["amount"],
                    reason=data["reason"],
                    note=data["note"],
                    idempotency_key=data["request_key"],
                )
                messages.success(
                    request,
                    _("Refund %(id)s of ¥%(amount)s requested; the applicant was told.")
                    % {"id": refund.refund_id, "amount": refund.amount},
                )
            elif action == "accept":
                services.application_accept(user=request.user, application=application)
                messages.success(request, _("Accepted; the departments' approval has started."))
            elif action == "correction":
                items = []
                for target in request.POST.getlist("target"):
                    problem = request.POST.get(f"problem-{target}", "").strip()
                    if problem:
                        items.append(
                            {
                                "target": target,
                                "label": request.POST.get(f"label-{target}", target),
                                "problem": problem,
                            }
                        )
                services.application_request_correction(
                    user=request.user, application=application, items=items, note=request.POST.get("note", "")
                )
                messages.success(request, _("The applicant was told every item to correct."))
            elif action == "refuse_acceptance":
                refuse_form = RefuseForm(request.POST, prefix="refuse")
                if refuse_form.is_valid():
                    services.application_refuse_acceptance(
                        user=request.user,
                        application=application,
                        reasons=refuse_form.cleaned_data["reasons"],
                    )
                    messages.success(request, _("Not accepted; the applicant was told the reasons."))
                else:
                    raise DomainError(_("Give the reasons."))
            elif action in ("approve", "reject") and decidable:
                decision_form = DecisionForm(request.POST, prefix="decide")
                decision_form.is_valid()
                comment = decision_form.cleaned_data.get("comment", "")
                step_id = int_param(request.POST.get("step"), default=decidable[0].step.pk, name="step")
                if action == "approve":
                    approval_services.approval_approve(
                        instance_id=instance.pk, user=request.user, comment=comment, step_id=step_id
                    )
                    messages.success(request, _("Your department's approval was recorded."))
                else:
                    approval_services.approval_reject(
                        instance_id=instance.pk, user=request.user, reason=comment, step_id=step_id
                    )
                    messages.success(request, _("Refused; the applicant receives the reasons in writing."))
            else:
                raise DomainError(_("Nothing to do."))
            return redirect("portal:staff_application", reference=reference)
        except DomainError as exc:
            messages.error(request, str(exc))
    service = application.service
    return render(
        request,
        "portal/staff/application.html",
        {
            **_progress_context(application, request.user),
            "service": service,
            "is_lead": is_lead_staff(user=request.user, application=application),
            "summary": formschema.labelled(service.form_schema, service.form_ui, application.form_data),
            "fields": formschema.form_fields(service.form_schema, service.form_ui, application.form_data),
            "attachments": application.attachments.filter(superseded=False),
            "materials": service.materials.all(),
            "decidable": decidable,
            "refuse_form": refuse_form,
            "decision_form": decision_form,
            "payments": application.payments.all(),
            "refunds": refunds_of(application=application),
            "refundable": [(p, left) for p, left in refundable if left > 0],
            "refund_form": refund_form,
            "problems": services.application_check(application),
        },
    )


@login_required
def staff_enquiry(request: HttpRequest, number: str) -> HttpResponse:
    enquiry = get_object_or_404(Enquiry, tracking_number=number)
    if not staff_departments(user=request.user).filter(pk=enquiry.department_id).exists():
        raise NotDepartmentStaff()
    form = AnswerForm(request.POST or None, initial={"answer": enquiry.answer, "publish": enquiry.published})
    if request.method == "POST" and form.is_valid():
        services.enquiry_answer(
            user=request.user,
            enquiry=enquiry,
            answer=form.cleaned_data["answer"],
            publish=form.cleaned_data["publish"],
        )
        messages.success(request, _("Answer saved."))
        return redirect("portal:staff")
    return render(request, "portal/staff/enquiry.html", {"enquiry": enquiry, "form": form})


# ---------------------------------------------------------------- consultations and complaints


def enquiry_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.full_name, "contact": request.user.email}
    if request.GET.get("service"):
        service = Service.objects.filter(code=request.GET["service"]).first()
        if service:
            initial.update(service=service, department=service.department)
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        enquiry = services.enquiry_submit(user=request.user, **form.cleaned_data)
        return render(request, "portal/consult/received.html", {"enquiry": enquiry})
    return render(request, "portal/consult/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enquiry_lookup(request: HttpRequest) -> HttpResponse:
    """Follow an enquiry: its signed-in author by the number alone (the link in their messages),
    anyone else by the number and the contact it was made with, sent by POST so the phone number
    or address stays out of URLs and logs."""
    enquiry = None
    number = request.GET.get("number", "")
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            enquiry = enquiry_lookup_for(
                user=request.user,
                tracking_number=form.cleaned_data["number"],
                contact=form.cleaned_data["contact"],
            )
            if enquiry is None:
                form.add_error(
                    None,
                    _(
                        "No consultation or complaint matches this tracking number and contact. Give the "
                        "phone number or e-mail address you gave when you made it, or sign in with that "
                        "account."
                    ),
                )
    else:
        form = LookupForm(initial={"number": number})
        if number and request.user.is_authenticated:
            enquiry = enquiry_lookup_for(user=request.user, tracking_number=number)
    return render(request, "portal/consult/lookup.html", {"form": form, "enquiry": enquiry})


def public_qa(request: HttpRequest) -> HttpResponse:
    answered = (
        Enquiry.objects.filter(published=True)
        .select_related("service", "department")
        .order_by("-answered_at")
    )
    return render(
        request, "portal/consult/qa.html", {"page": Paginator(answered, 20).get_page(request.GET.get("page"))}
    )


# ---------------------------------------------------------------- information


def articles(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ArticleKind.values:
        raise Http404
    items = Article.objects.filter(kind=kind).select_related("topic")
    return render(
        request,
        "portal/info/articles.html",
        {
            "kind": ArticleKind(kind),
            "page": Paginator(items, 20).get_page(request.GET.get("page")),
        },
    )


def article(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "portal/info/article.html", {"article": get_object_or_404(Article, slug=slug)})


def statistics(request: HttpRequest) -> HttpResponse:
    """The portal's figures moved to the statistics dashboards (reports, above portal: linked by
    URL name, never imported); this old address keeps working."""
    return redirect("statistics:services")


def commitments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/info/commitments.html",
        {
            "services": Service.objects.filter(is_published=True)
            .select_related("department")
            .order_by("department__name", "code"),
        },
    )


def static_page(request: HttpRequest, page: str) -> HttpResponse:
    return render(request, f"portal/info/{page}.html")


def sitemap(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/info/sitemap.html",
        {"categories": categories_by_kind(), "kinds": ArticleKind.choices},
    )


def form_downloads(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/info/forms.html",
        {
            "services": Service.objects.filter(is_published=True)
            .select_related("department")
            .prefetch_related("materials"),
        },
    )


def subscribe(request: HttpRequest) -> HttpResponse:
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.subscription_create(
            email=form.cleaned_data["email"],
            topic=form.cleaned_data["topic"],
            kind="" if form.cleaned_data["topic"] else ArticleKind.NEWS,
            user=request.user,
        )
        messages.success(request, _("Check your email and confirm the subscription."))
        return redirect("portal:subscribe")
    return render(
        request,
        "portal/info/subscribe.html",
        {"form": form, "topics": Category.objects.all(), "kinds": ArticleKind.choices},
    )


def subscription_confirm(request: HttpRequest, token) -> HttpResponse:
    """The mailed link opens this page; only its button (a POST) confirms: mail scanners and link
    previews open links too."""
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        services.subscription_confirm(token=token)
        messages.success(request, _("Subscription confirmed."))
        return redirect("portal:subscribe")
    return render(request, "portal/info/subscription_confirm.html", {"subscription": subscription})


def subscription_cancel(request: HttpRequest, token) -> HttpResponse:
    if request.method == "POST":
        services.subscription_cancel(token=token)
        messages.success(request, _("You are unsubscribed."))
        return redirect("portal:subscribe")
    return render(
        request,
        "portal/info/unsubscribe.html",
        {"subscription": get_object_or_404(Subscription, token=token)},
    )


# ---------------------------------------------------------------- personal centre


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    preference = getattr(user, "display_preference", None)
    order = preference.widgets if preference else [str(w) for w in DEFAULT_WIDGETS]
    data = {
        Widget.APPLICATIONS: applications_of(user=user)[:8],
        Widget.MESSAGES: Message.objects.filter(user=user)[:8],
        Widget.PAYMENTS: Payment.objects.filter(application__applicant=user)
        .select_related("application__service")
        .prefetch_related("refunds")[:8],
        Widget.SAVED: user.saved_services.select_related("service")[:8],
        Widget.RECOMMENDED: recommended_services(user=user),
        Widget.SUBSCRIPTIONS: user.portal_subscriptions.select_related("topic"),
        Widget.ENQUIRIES: user.enquiries.all()[:8],
    }
    widgets = [(name, Widget(name).label, data[Widget(name)]) for name in order if name in Widget.values]
    return render(
        request,
        "portal/my/home.html",
        {
            "widgets": widgets,
            "unread": Message.objects.filter(user=user, read_at__isnull=True).count(),
            "is_staff": staff_departments(user=user).exists(),
        },
    )


@login_required
def my_messages(request: HttpRequest) -> HttpResponse:
    items = list(Message.objects.filter(user=request.user)[:100])
    services.messages_mark_read(user=request.user)
    return render(request, "portal/my/messages.html", {"items": items})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/my/applications.html",
        {
            "applications": applications_of(user=request.user),
            "payments": Payment.objects.filter(application__applicant=request.user).select_related(
                "application__service"
            ),
            "refunds": refunds_of(user=request.user),
        },
    )


@login_required
def my_preferences(request: HttpRequest) -> HttpResponse:
    preference = getattr(request.user, "display_preference", None)
    current = preference.widgets if preference else [str(w) for w in DEFAULT_WIDGETS]
    form = PreferencesForm(
        request.POST if request.POST.get("form") == "display" else None,
        initial={
            "elder_mode": preference and preference.elder_mode,
            "high_contrast": preference and preference.high_contrast,
            "life_stage": preference and preference.life_stage,
        },
    )
    widgets_form = WidgetsForm(
        request.POST if request.POST.get("form") == "widgets" else None, current=current, prefix="w"
    )
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            services.display_preference_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your display preferences are saved."))
            return redirect("portal:my_preferences")
        if widgets_form.is_bound and widgets_form.is_valid():
            services.display_preference_update(user=request.user, widgets=widgets_form.ordered())
            messages.success(request, _("Your home page is arranged."))
            return redirect("portal:my")
    return render(request, "portal/my/preferences.html", {"form": form, "widgets_form": widgets_form})


@require_POST
def display_toggle(request: HttpRequest) -> HttpResponse:
    """The header's quick switches: remembered per user when signed in, for the session otherwise."""
    which = request.POST.get("mode")
    if which not in ("elder_mode", "high_contrast"):
        raise Http404
    if request.user.is_authenticated:
        preference = getattr(request.user, "display_preference", None)
        current = bool(preference and getattr(preference, which))
        services.display_preference_update(user=request.user, **{which: not current})
    else:
        request.session[which] = not request.session.get(which, False)
    target = request.POST.get("next", "/")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
