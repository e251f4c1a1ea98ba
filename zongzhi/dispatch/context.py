"""What the case page needs from dispatch: one dict, gathered from each part."""

from zongzhi.cases.models import Case
from zongzhi.dispatch.move_views import moves_context
from zongzhi.dispatch.routing_views import routing_context


def case_page_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """Context for the dispatch panels of the case page (dispatch/_case_panel.html).

    `form_errors` maps a form's name to its errors (messages tagged "form-<name>"); each
    part pops the errors of its own forms (names starting "dispatch-")."""
    from zongzhi.dispatch.card_views import cards_context
    from zongzhi.dispatch.handler_views import handlers_context
    from zongzhi.dispatch.key_case_views import key_case_context
    from zongzhi.dispatch.team_views import team_context
    from zongzhi.dispatch.whistle_views import whistles_context

    context: dict = {}
    context.update(moves_context(request, case, form_errors))
    context.update(routing_context(request, case, form_errors))
    context.update(handlers_context(request, case, form_errors))
    context.update(team_context(request, case, form_errors))
    context.update(key_case_context(request, case, form_errors))
    context.update(cards_context(request, case, form_errors))
    context.update(whistles_context(request, case, form_errors))
    return context
