"""Who may be given a case: the one rule, used by the workbench, the API and routing.

A unit may be given a case when it is active, is not the centre's own office (the intake
window does not hand cases to itself), and covers the case's place: its centre's node, or one
of the places it serves (`Unit.serves`, e.g. a 人民法庭 at the county that serves three
townships), is the case's place or one of its ancestors. A person may be given a case when
they are an active handler (department handler, mediator, grid worker) whose area includes
the case's place, or a member of a unit that may be given it.

The rule is written once, as a query; `may_take_unit` and `may_take_person` ask that query
about one unit or person, so the drop-downs and the checks cannot drift apart.
"""

from django.db.models import Q, QuerySet

from zongzhi.accounts.models import HANDLER_ROLES, Unit, UnitKind, User
from zongzhi.cases.models import Case

# One answer whatever the reason (no such account or unit, inactive, another area, not a
# handler, the centre's own office), so that a refusal does not tell what exists elsewhere.
UNIT_REFUSED = "所选单位不能承办此纠纷"
ASSIGNEE_REFUSED = "所选承办人不能承办此纠纷"


def covering_paths(place_path: str) -> list[str]:
    """The paths of a node and all its ancestors: `a/b/c/` → [`a/`, `a/b/`, `a/b/c/`]."""
    codes = place_path.rstrip("/").split("/")
    return ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _covering_units_q(place_path: str) -> Q:
    covering = covering_paths(place_path)
    served = Unit.serves.through.objects.filter(place__path__in=covering).values("unit_id")
    return Q(place__path__in=covering) | Q(pk__in=served)


def assignable_units(case: Case) -> QuerySet[Unit]:
    """The units that may be given `case`, as a query (drop-downs, routing, checks)."""
    return (
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.CENTRE_OFFICE)
        .filter(_covering_units_q(case.place_path))
        .select_related("place")
        .order_by("place__path", "kind", "name")
    )


def assignable_people(case: Case) -> QuerySet[User]:
    """The people who may be given `case`, as a query: handlers of the area, and members of
    the units that may be given it (wherever those units sit)."""
    units = assignable_units(case).order_by().values("pk")
    return (
        User.objects.filter(is_active=True, role__in=list(HANDLER_ROLES))
        .filter(Q(place__path__in=covering_paths(case.place_path)) | Q(unit__in=units))
        .select_related("place", "unit")
        .order_by("place__path", "role", "display_name", "username")
    )


def may_take_unit(case: Case, unit: Unit | None) -> bool:
    """Whether `unit` may be given `case` (the same rule as assignable_units)."""
    return unit is not None and assignable_units(case).filter(pk=unit.pk).exists()


def may_take_person(case: Case, user: User | None) -> bool:
    """Whether `user` may be given `case` (the same rule as assignable_people)."""
    return user is not None and assignable_people(case).filter(pk=user.pk).exists()
