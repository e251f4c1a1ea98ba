"""多长联调: the preset roster (dispatch.models.JointCallSeat, editable in the admin) filled
for one case. A unit seat takes the first unit that may be called on the case (whistles.
callable_units) whose department and name match and that sits at the case's township centre
or serves its place (Unit.serves: a 人民法庭 at the county serving the township); the grid-head
seat takes the grid worker of the case's grid. A seat that finds nobody is named as missing.
"""

from dataclasses import dataclass

from zongzhi.accounts.models import Unit, User
from zongzhi.cases.models import Case
from zongzhi.dispatch.eligibility import covering_paths
from zongzhi.dispatch.models.whistles import JointCallSeat, SeatKind
from zongzhi.dispatch.whistles import callable_units, grid_heads
from zongzhi.places.models import Level


@dataclass
class SeatFill:
    seat: JointCallSeat
    unit: Unit | None = None
    person: User | None = None
    missing: str = ""


def _local_units(case: Case, seat: JointCallSeat):
    units = callable_units(case)
    if seat.department:
        units = units.filter(department=seat.department)
    if seat.name_contains:
        units = units.filter(name__contains=seat.name_contains)
    serving = Unit.serves.through.objects.filter(place__path__in=covering_paths(case.place_path))
    township = None
    if case.place.level >= Level.TOWNSHIP:
        township = case.place.ancestor_at(Level.TOWNSHIP)
    local = units.filter(pk__in=serving.values("unit_id"))
    if township is not None:
        local = local | units.filter(place=township)
    return local


def fill_seats(case: Case) -> list[SeatFill]:
    """The active 多长联调 seats, each with the unit or person that fills it for `case`, or the
    reason it stays empty ("本乡镇未配置检察室")."""
    fills = []
    for seat in JointCallSeat.objects.filter(is_active=True):
        if seat.kind == SeatKind.GRID_HEAD:
            person = grid_heads(case).first()
            if person is not None:
                fills.append(SeatFill(seat, person=person))
            elif case.place.level < Level.GRID:
                fills.append(SeatFill(seat, missing="纠纷未落到网格，无网格长"))
            else:
                fills.append(SeatFill(seat, missing="本网格未配置网格员"))
            continue
        unit = _local_units(case, seat).order_by("-place__level", "name").first()
        if unit is not None:
            fills.append(SeatFill(seat, unit=unit))
        else:
            fills.append(SeatFill(seat, missing=f"本乡镇未配置{seat.office}"))
    return fills
