"""Who may be given a case: the one rule, used by the workbench, the API and routing.

A unit may be given a case when it is active, is not the centre's own office (the intake
window does not hand cases to itself), and covers the case's place. A unit covers the places
under its centre's node; a unit with a service area (`Unit.serves`, e.g. a 人民法庭 sitting at
the county centre that serves two of its townships) covers the places under the places it
serves instead: otherwise a tribunal at the county would be offered for every township of
the county, and its service area would mean nothing. (A township unit that also serves a
neighbouring township lists both.)

A person may be given a case when they are an active handler (department handler, mediator,
grid worker) and either belong to a unit that may be given it, or belong to no unit and
their area includes the case's place.

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
    through = Unit.serves.through.objects
    with_area = through.values("unit_id")
    serving = through.filter(place__path__in=covering).values("unit_id")
    return (Q(place__path__in=covering) & ~Q(pk__in=with_area)) | Q(pk__in=serving)


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
    """The people who may be given `case`, as a query: members of the units that may be given
    it (wherever those units sit), and handlers of the area who belong to no unit."""
    units = assignable_units(case).order_by().values("pk")
    area = Q(unit__isnull=True, place__path__in=covering_paths(case.place_path))
    return (
        User.objects.filter(is_active=True, role__in=list(HANDLER_ROLES))
        .filter(area | Q(unit__in=units))
        .select_related("place", "unit")
        .order_by("place__path", "role", "display_name", "username")
    )


def may_take_unit(case: Case, unit: Unit | None) -> bool:
    """Whether `unit` may be given `case` (the same rule as assignable_units)."""
    return unit is not None and assignable_units(case).filter(pk=unit.pk).exists()


def may_take_person(case: Case, user: User | None) -> bool:
    """Whether `user` may be given `case` (the same rule as assignable_people)."""
    return user is not None and assignable_people(case).filter(pk=user.pk).exists()


def units_covering_q(place_path: str) -> Q:
    """The units whose area covers `place_path` (the filter of assignable_units, without its
    exclusions), for other rules that build on it (吹哨报到's callable units)."""
    return _covering_units_q(place_path)
