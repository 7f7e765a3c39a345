"""The guide editor of department staff: real forms for the guide, steps, fees, FAQ and materials;
the application form's JSON only behind the "advanced" switch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.exceptions import DomainError
from portal import guide_editor as ge
from portal.exceptions import NotDepartmentStaff
from portal.models import Service
from portal.selectors import staff_departments
from portal.services.guide import guide_save


@login_required
def guide_edit(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service, code=code)
    if not staff_departments(user=request.user).filter(pk=service.department_id).exists():
        raise NotDepartmentStaff()
    data = request.POST if request.method == "POST" else None
    form = ge.GuideForm(data, instance=service)
    steps = ge.StepFormSet(data, initial=ge.initial_steps(service), prefix="steps")
    fees = ge.FeeFormSet(data, initial=ge.initial_fees(service), prefix="fees")
    faq = ge.FaqFormSet(data, initial=ge.initial_faq(service), prefix="faq")
    materials = ge.MaterialFormSet(data, queryset=service.materials.all(), prefix="materials")
    advanced = ge.AdvancedForm(
        data, initial={"form_schema": service.form_schema, "form_ui": service.form_ui}, prefix="adv"
    )
    parts = [form, steps, fees, faq, materials, advanced]
    error = None
    if request.method == "POST" and all(p.is_valid() for p in parts):
        step_list, steps_en = ge.steps_from(steps)
        try:
            guide_save(
                user=request.user,
                service=form.save(commit=False),
                steps=step_list,
                steps_en=steps_en,
                fee_items=ge.fees_from(fees),
                faq=ge.faq_from(faq),
                materials=materials.save(commit=False),
                deleted_materials=list(materials.deleted_objects),
                form_schema=advanced.cleaned_data["form_schema"]
                if advanced.cleaned_data["advanced"]
                else None,
                form_ui=advanced.cleaned_data["form_ui"] if advanced.cleaned_data["advanced"] else None,
            )
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The guide was saved and published as shown."))
            return redirect("portal:guide", code=service.code)
    invalid = request.method == "POST" and (error or not all(p.is_valid() for p in parts))
    return render(
        request,
        "portal/staff/guide_edit.html",
        {
            "service": service,
            "form": form,
            "steps": steps,
            "fees": fees,
            "faq": faq,
            "materials": materials,
            "advanced": advanced,
            "error": error,
            "invalid": invalid,
        },
    )
