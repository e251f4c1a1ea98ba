"""Who may be given a case: the one rule, used by the workbench, the API and routing.

(First version: the rule as it stood in cases.services / workbench.selectors; the handlers
part of dispatch refines it: units' service areas, no intake window, rooms, lead/joint.)
"""

from django.db.models import QuerySet

from zongzhi.accounts.models import Unit, User
from zongzhi.cases.models import Case


def assignable_units(case: Case) -> QuerySet[Unit]:
    """The units that may be given `case`, as a query (drop-downs, routing)."""
    from zongzhi.workbench.selectors import assignable_units as current

    return current(case)


def assignable_people(case: Case) -> QuerySet[User]:
    """The people who may be given `case`, as a query."""
    from zongzhi.workbench.selectors import assignable_handlers as current

    return current(case)


def may_take_unit(case: Case, unit: Unit) -> bool:
    """Whether `unit` may be given `case` (same rule as assignable_units)."""
    from zongzhi.cases.services import can_take_unit

    return can_take_unit(case, unit)


def may_take_person(case: Case, user: User) -> bool:
    """Whether `user` may be given `case` (same rule as assignable_people)."""
    from zongzhi.cases.services import can_take_assignee

    return can_take_assignee(case, user)
