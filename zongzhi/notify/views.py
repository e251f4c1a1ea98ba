"""The inbox pages: parse, call notify.inbox, render."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zongzhi.notify import inbox
from zongzhi.workbench.permissions import require_page


@login_required
@require_page("home")
def inbox_list(request):
    page = Paginator(inbox.inbox_of(request.user).select_related("case"), 30).get_page(
        request.GET.get("page")
    )
    linkable = inbox.linkable_case_ids(request.user, list(page.object_list))
    rows = [{"message": m, "link": m.case_id in linkable} for m in page.object_list]
    return render(request, "notify/inbox.html", {"page": page, "rows": rows})


@login_required
@require_page("home")
def bell(request):
    """The bell alone, for htmx to refresh every minute."""
    return render(request, "notify/bell.html")


@login_required
@require_page("home")
@require_POST
def read_one(request, pk: int):
    inbox.mark_read(request.user, pk)
    return redirect(_back(request))


@login_required
@require_page("home")
@require_POST
def read_all(request):
    changed = inbox.mark_read(request.user)
    flash.success(request, f"已将 {changed} 条消息标记为已读")
    return redirect(_back(request))


def _back(request) -> str:
    page = request.POST.get("page", "")
    url = reverse("notify:inbox")
    return f"{url}?page={page}" if page.isdigit() else url
