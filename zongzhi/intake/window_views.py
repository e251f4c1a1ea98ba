"""The one-stop window (统一登记): staff register a walk-in or referred dispute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole
from zongzhi.cases.errors import CaseError
from zongzhi.intake.window_forms import PartyForm, WindowCaseForm
from zongzhi.workbench.permissions import require_page


def _forms(request, data=None, files=None):
    return (
        WindowCaseForm(data, files, user=request.user),
        PartyForm(data, role=PartyRole.APPLICANT, name_required=True),
        PartyForm(data, role=PartyRole.RESPONDENT, name_required=False),
    )


@login_required
@require_page("register")
@require_http_methods(["GET", "POST"])
def window_register(request):
    if request.method == "POST":
        case_form, applicant, respondent = _forms(request, request.POST, request.FILES)
        if all([case_form.is_valid(), applicant.is_valid(), respondent.is_valid()]):
            parties = [p for p in (applicant.party_data(), respondent.party_data()) if p]
            try:
                # The case and its files are saved together or not at all.
                case = services.register_case(case_form.case_data(parties), actor=request.user)
            except CaseError as error:
                field = error.field if error.field in case_form.fields else None
                case_form.add_error(field, error.message)
            else:
                messages.success(
                    request,
                    f"登记成功：案件编号 {case.number}，群众查询码 {case.query_code}"
                    "（请告知当事人，用于查询办理进度）",
                )
                return redirect("workbench:case_detail", pk=case.pk)
    else:
        case_form, applicant, respondent = _forms(request)
    has_errors = any(f.errors for f in (case_form, applicant, respondent))
    return render(
        request,
        "intake/window/register.html",
        {
            "form": case_form,
            "applicant": applicant,
            "respondent": respondent,
            "has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )
