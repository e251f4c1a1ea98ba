"""Who may ask to pause or extend a case's clock, who decides, and who is told.

- Asking: the lead handler (主办, a person or a member of the lead unit) or the staff of the
  holding centre (window clerk, leader, administrator of that centre).
- Deciding: the leader (综治中心主任) of the approving centre, which is the holding centre, or
  the centre above it when the holding centre's own leader asked; an administrator whose area
  holds the case. Nobody decides their own request.
- Resuming a running pause: whoever may ask or decide.
"""

from django.db.models import QuerySet

from zongzhi.accounts.models import Role, User
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import may_work_on
from zongzhi.dispatch import handlers
from zongzhi.dispatch.centres import parent_centre
from zongzhi.dispatch.moves import is_centre_staff
from zongzhi.places.models import Place


def holding_centre(case: Case) -> Place:
    """The centre that answers for the case's clock (its county when none is recorded)."""
    return case.holding_place or case.county


def may_request(user: User, case: Case) -> bool:
    """Whether `user` may ask to pause or extend the clock of `case`."""
    if not user.works_in_an_area or not may_work_on(user, case):
        return False
    if is_centre_staff(user, holding_centre(case)):
        return True
    return handlers.holds_case(case, user, lead_only=True)


def approver_place(case: Case, requester: User) -> Place:
    """The centre whose leader decides a request of `requester` on `case`."""
    holding = holding_centre(case)
    if requester.role == Role.CENTRE_LEADER and requester.place_id == holding.pk:
        return parent_centre(holding) or holding
    return holding


def may_decide(user: User, case: Case, place: Place, requester_id: int) -> bool:
    """Whether `user` may approve or refuse a request on `case` whose approving centre is
    `place`, asked by the account `requester_id`."""
    if user.pk == requester_id or not user.works_in_an_area:
        return False
    if user.role == Role.ADMINISTRATOR:
        return may_work_on(user, case)
    return user.role == Role.CENTRE_LEADER and user.place_id == place.pk


def may_resume(user: User, case: Case, place: Place) -> bool:
    """Whether `user` may end a running pause of `case` approved by `place`'s leader."""
    return may_request(user, case) or may_decide(user, case, place, requester_id=-1)


def approvers(case: Case, place: Place) -> QuerySet[User]:
    """Who is told of a request: the approving centre's leaders, or, when it has none, the
    administrators whose area holds the case."""
    leaders = User.objects.filter(role=Role.CENTRE_LEADER, place=place, is_active=True)
    if leaders.exists():
        return leaders.order_by("pk")
    admins = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).select_related("place")
    return User.objects.filter(
        pk__in=[u.pk for u in admins if u.place_id and u.can_see_path(case.place_path)]
    ).order_by("pk")
