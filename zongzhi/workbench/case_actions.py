"""What every POST form of the case page does after calling its service: turn the service's
refusal (a CaseError) into a message, and go back to the case page. A refusal is tagged with
the form's name, so that the page shows it beside that form."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from zongzhi.cases.errors import CaseError


def refusal_of(call: Callable[[], object]) -> str | None:
    """Run a service call; its refusal's message (in Chinese), or None when it went through."""
    try:
        call()
    except CaseError as error:
        return error.message
    return None


def back_to_case(
    request: HttpRequest, case, form_tag: str, error: str | None, success: str
) -> HttpResponse:
    """The case page again, with the refusal beside the form `form_tag` or the success."""
    if error:
        messages.error(request, error, extra_tags=f"form-{form_tag}")
    else:
        messages.success(request, success)
    return redirect("workbench:case_detail", pk=case.pk)
