"""The workbench home (工作台) and the case queue (纠纷台账)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from zongzhi.cases.choices import Colour
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import colour_counts, filter_queue, queue_page_queryset
from zongzhi.dispatch.home import home_context
from zongzhi.places.naming import label_places
from zongzhi.workbench import selectors
from zongzhi.workbench.forms import COLOUR_SHORT_LABELS, QueueFilterForm

QUEUE_PAGE_SIZE = 50
# The chart's colours match the badges of app.css.
CHART_COLOURS = {
    Colour.RED: "#d93025",
    Colour.YELLOW: "#e8a200",
    Colour.GREEN: "#1e8e3e",
    Colour.NORMAL: "#4a78c2",
    Colour.REJECTED: "#9aa1a9",
}


@login_required
@require_GET
def home(request):
    now = timezone.now()
    visible = Case.objects.workable_by(request.user)
    counts = colour_counts(visible, now=now)
    colour_rows = [
        {
            "value": colour.value,
            "short": COLOUR_SHORT_LABELS[colour],
            "label": colour.label,
            "count": counts[colour.value],
            "colour": CHART_COLOURS[colour],
        }
        for colour in Colour
    ]
    return render(
        request,
        "workbench/home.html",
        {
            "colour_rows": colour_rows,
            "chart_data": [
                {"name": row["label"], "value": row["count"], "itemStyle": {"color": row["colour"]}}
                for row in colour_rows
            ],
            "total": sum(counts.values()),
            "status_rows": selectors.status_counts(visible),
            "todo": label_places(selectors.todo_cases(request.user, now=now), request.user.place),
            **home_context(request.user, visible, now=now),
        },
    )


@login_required
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    now = timezone.now()
    # Department handlers and mediators list only the cases they may work on (need-to-know):
    # other cases of their area are not shown at all, not even as a masked row.
    cases = filter_queue(
        Case.objects.workable_by(request.user), form.to_filters(), user=request.user, now=now
    )
    page = Paginator(queue_page_queryset(cases, now=now), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = label_places(page.object_list, request.user.place)
    context = {
        "form": form,
        "filter_errors": form.error_messages_list() if form.is_bound else [],
        "page": page,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "workbench/_queue_results.html" if partial else "workbench/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
