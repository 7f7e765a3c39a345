"""Demo data of the one-stop portal: four more departments with staff (the public security bureau is
the third department the approval flows use, beside civil affairs and market regulation), the
catalogue of 24 services, information pages, the OIDC demo client, the shared approval flow, and a
few applications in different states. Loading twice changes nothing."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from accounts.constants import OrganisationKind, Role
from accounts.demo import Demo
from accounts.services import membership_grant
from config import clock
from portal import services
from portal.approval import flow_publish
from portal.demo_catalogue import ARTICLES, CATEGORIES, DEPARTMENTS, PERSON_FORM, PERSON_UI, SERVICES
from portal.models import Application, Article, Category, Service, ServiceMaterial
from portal.payments.sandbox import SIGNATURE_HEADER, SandboxProvider, sign
from portal.sso_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

# A tiny valid PDF stands in for scanned documents in the demo applications.
DEMO_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _departments(demo: Demo) -> dict[str, object]:
    departments = {
        "civil_affairs": demo.orgs["civil_affairs"],
        "market": demo.orgs["market"],
        "education": demo.orgs["buyer"],
    }
    for key, name, username, person in DEPARTMENTS:
        org = demo.org(key, name, OrganisationKind.DEPARTMENT)
        staff = demo.user(username, person, f"department staff, {name}")
        membership_grant(user=staff, organisation=org, role=Role.DEPARTMENT_STAFF)
        membership_grant(user=staff, organisation=org, role=Role.APPROVER)
        departments[key] = org
    return departments


def _catalogue(departments: dict[str, object]) -> None:
    categories = {}
    for order, (kind, slug, name, name_en, audience) in enumerate(CATEGORIES):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug,
            defaults={"kind": kind, "name": name, "name_en": name_en, "audience": audience, "order": order},
        )
    for spec in SERVICES:
        if Service.objects.filter(code=spec["code"]).exists():
            continue
        form, ui = spec.get("form") or (PERSON_FORM, PERSON_UI)
        service = Service(
            code=spec["code"],
            name=spec["name"],
            name_en=spec["name_en"],
            audience=spec["audience"],
            matter_type=spec.get("matter_type", "行政许可"),
            department=departments[spec["department"]],
            summary=spec["summary"],
            legal_basis=spec["legal_basis"],
            conditions=spec["conditions"],
            steps=spec["steps"],
            legal_time_limit=spec["legal"],
            promised_time_limit=spec["promised"],
            handling_mode=spec["mode"],
            location=spec["location"],
            office_hours=spec["hours"],
            contact_phone=spec["phone"],
            supervision_phone=spec.get("supervision", "021-12345"),
            fee_items=spec["fees"],
            result_name=spec["result"],
            faq=spec.get("faq", []),
            form_schema=form,
            form_ui=ui,
            keywords=spec["keywords"],
        )
        with transaction.atomic():
            service.save()
            service.joint_departments.set([departments[k] for k in spec.get("joint", [])])
            for order, (key, name, required, form_kind, source) in enumerate(spec["materials"]):
                ServiceMaterial.objects.create(
                    service=service,
                    key=key,
                    name=name,
                    required=required,
                    form=form_kind,
                    source=source,
                    order=order,
                )
            services.service_save(
                user=None, service=service, categories=[categories[c] for c in spec["categories"]]
            )


def _articles(demo: Demo) -> None:
    for days_ago, (kind, slug, name, name_en, topic, summary, body) in enumerate(ARTICLES):
        if Article.objects.filter(slug=slug).exists():
            continue
        services.article_publish(
            article=Article(
                kind=kind,
                slug=slug,
                name=name,
                name_en=name_en,
                summary=summary,
                body=body,
                topic=Category.objects.filter(slug=topic).first() if topic else None,
                department=demo.orgs["civil_affairs"],
                published_at=clock.now() - timedelta(days=days_ago * 3 + 1),
            )
        )


def _oidc_client(demo: Demo) -> None:
    from oauth2_provider.models import get_application_model

    application_model = get_application_model()
    if application_model.objects.filter(client_id=DEMO_CLIENT_ID).exists():
        return
    application_model.objects.create(
        name="一站单点登录演示客户端 (SSO demo client)",
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris=settings.SITE_URL.rstrip("/") + reverse("portal:sso_demo_callback"),
        algorithm=application_model.RS256_ALGORITHM,
        user=demo.users["admin"],
        skip_authorization=False,
    )


def _fill(application: Application, user, data: dict) -> Application:
    application = services.application_save_form(user=user, application=application, raw=data)
    for material in application.service.materials.filter(required=True):
        services.attachment_add(
            user=user,
            application=application,
            material_key=material.key,
            upload=ContentFile(DEMO_SCAN, name=f"{material.key}.pdf"),
        )
    return application


def _pay(application: Application, user) -> None:
    if application.service.fee_total:
        payment = services.payment_start(user=user, application=application)
        body = SandboxProvider().notification_body(
            order_id=payment.order_id, amount=payment.amount, succeeded=True
        )
        services.payment_notification_receive(
            provider_name="sandbox", headers={SIGNATURE_HEADER: sign(body)}, body=body
        )


def _demo_application(user, code: str) -> Application | None:
    """A new demo application of `user` for service `code`, or None when the demo made it already
    (found by content: applicant and service, so a second run changes nothing)."""
    service = Service.objects.get(code=code)
    if Application.objects.filter(applicant=user, service=service).exists():
        return None
    return services.application_start(user=user, service=service)


def _applications(demo: Demo) -> None:
    citizen, citizen2 = demo.users["citizen1"], demo.users["citizen2"]
    person = {
        "applicant_name": "王小明",
        "id_number": "310101199001011234",
        "phone": "13800138000",
        "address": "上海市黄浦区人民大道200号",
    }
    person2 = {**person, "applicant_name": "李小红", "id_number": "310104199203045626"}
    civil, police = demo.users["civil_staff"], demo.users["police_staff"]
    # Approved: a senior allowance, decided with its signed decision document.
    approved = _demo_application(citizen, "senior-allowance")
    if approved is not None:
        approved = _fill(approved, citizen, person)
        services.application_submit(user=citizen, application=approved)
        services.application_accept(user=civil, application=approved)
        from approvals.services import approval_approve

        approval_approve(
            instance_id=Application.objects.get(pk=approved.pk).approval_flow_id,
            user=civil,
            comment="符合条件",
        )
    # In review, fee paid: a driving licence renewal.
    renewal = _demo_application(citizen, "driving-licence-renewal")
    if renewal is not None:
        renewal = _fill(renewal, citizen, person)
        _pay(renewal, citizen)
        services.application_submit(user=citizen, application=renewal)
        services.application_accept(user=police, application=renewal)
    # Awaiting acceptance: a minimum living allowance.
    allowance = _demo_application(citizen2, "minimum-living-allowance")
    if allowance is not None:
        allowance = _fill(allowance, citizen2, person2)
        services.application_submit(user=citizen2, application=allowance)
    # Correction requested: an unemployment benefit.
    benefit = _demo_application(citizen2, "unemployment-benefit")
    if benefit is not None:
        benefit = _fill(benefit, citizen2, person2)
        services.application_submit(user=citizen2, application=benefit)
        services.application_request_correction(
            user=demo.users["hr_staff"],
            application=benefit,
            items=[
                {
                    "target": "material:termination",
                    "label": "解除或终止劳动合同证明",
                    "problem": "扫描件不清晰，请重新上传加盖公章的原件扫描件",
                },
            ],
        )
    # A draft.
    _demo_application(citizen, "residence-permit")


def _licences_and_english() -> None:
    """Licence kinds and English content for the demo's services (only where still empty)."""
    from portal.demo_catalogue_en import apply

    apply()


def load(demo: Demo) -> None:
    departments = _departments(demo)
    _catalogue(departments)
    _licences_and_english()
    _articles(demo)
    _oidc_client(demo)
    flow_publish(by=demo.users["admin"])
    _applications(demo)
    from portal.services import citizen_demo

    citizen_demo.load(demo)  # offices taking appointments
