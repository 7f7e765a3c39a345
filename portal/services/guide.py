"""Saving a guide from the guide editor (portal/guide_editor.py): the guide, its steps, fees, FAQ
and materials in one transaction, through `service_save` (lead-department staff only, fees and
form definition validated, ledger entry). Nothing is saved when anything is refused."""

from typing import Any

from django.db import transaction

from accounts.models import User
from portal.models import Service, ServiceMaterial


@transaction.atomic
def guide_save(
    *,
    user: User,
    service: Service,
    steps: list[str],
    steps_en: list[str],
    fee_items: list[dict[str, Any]],
    faq: list[dict[str, Any]],
    materials: list[ServiceMaterial],
    deleted_materials: list[ServiceMaterial],
    form_schema: dict | None = None,
    form_ui: dict | None = None,
) -> Service:
    """Before: `service` carries the edited guide fields (unsaved). After: all saved, or nothing
    (InvalidFees / InvalidFormDefinition / NotDepartmentStaff raised by `service_save`)."""
    from portal.services import service_save

    service.steps = steps
    service.steps_en = steps_en
    service.fee_items = fee_items
    service.faq = faq
    if form_schema is not None:
        service.form_schema = form_schema
        service.form_ui = form_ui or {}
    service_save(user=user, service=service)
    for material in deleted_materials:
        if material.pk and material.service_id == service.pk:
            material.delete()
    for order, material in enumerate(materials):
        material.service = service
        material.order = order
        material.save()
    return service
