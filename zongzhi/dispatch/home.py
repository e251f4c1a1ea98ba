"""What the workbench home needs from dispatch: one dict, gathered from each part (the centre's
tabs and moves to sign; each later part adds its own list: sub-tasks, duties, cards)."""

from datetime import datetime

from django.db.models import QuerySet

from zongzhi.clock.home import clock_home
from zongzhi.dispatch.card_selectors import home_cards
from zongzhi.dispatch.key_case_views import home_duties
from zongzhi.dispatch.queues import centre_home
from zongzhi.dispatch.team_views import home_teams_context
from zongzhi.dispatch.whistles import home_sub_tasks


def home_context(user, visible: QuerySet, *, now: datetime) -> dict:
    """Context for dispatch/_home_panel.html; each part returns its own keys."""
    context: dict = {}
    context.update(centre_home(user, visible, now=now))
    context.update(home_teams_context(user, now=now))
    context.update(home_duties(user, now=now))
    context.update(home_cards(user, visible))
    context.update(clock_home(user, visible, now=now))
    context.update(home_sub_tasks(user, now=now))
    return context
