"""factory-boy factories that build a small, realistic world for tests.

`county_world()` gives a county with two townships, a village and a grid in each, a clerk,
a leader and a handler per township, and a stationed unit: enough to try every rule.
"""

from dataclasses import dataclass

import factory
from django.utils import timezone

from zongzhi.accounts.models import Role, Unit, UnitKind, User
from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole, RiskGrade, Source, Status
from zongzhi.cases.models import DisputeType
from zongzhi.places.models import Level, Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试地点{n}")
    level = Level.COUNTY
    parent = None


class DisputeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisputeType
        django_get_or_create = ("code",)

    code = "neighbourhood"
    name = "邻里纠纷"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"司法所{n}")
    kind = UnitKind.STATIONED
    department = "司法"
    place = factory.SubFactory(PlaceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = Role.WINDOW_CLERK
    place = factory.SubFactory(PlaceFactory)
    password = factory.django.Password("zongzhi-test-pw")


# Valid (GB 11643 checksum) but made-up ID numbers, one per party role.
ID_NUMBERS = {PartyRole.APPLICANT: "530402199001011238", PartyRole.RESPONDENT: "530402198505052346"}


def party(role=PartyRole.APPLICANT, name="张三", **extra) -> services.PartyData:
    defaults = {
        "id_number": ID_NUMBERS.get(role, ""),
        "phone": "13812345678" if role == PartyRole.APPLICANT else "13698765432",
        "address": "玉兴路8号",
    }
    return services.PartyData(role=role, name=name, **{**defaults, **extra})


def make_case(place: Place, actor=None, *, now=None, dispute_type=None, **fields):
    """Register a case through the service, as the window would."""
    initial_status = fields.pop("initial_status", Status.REPORT)
    data = services.CaseData(
        source=fields.pop("source", Source.WINDOW),
        dispute_type=dispute_type or DisputeTypeFactory(),
        title=fields.pop("title", "邻居占道堆放杂物引发争执"),
        description=fields.pop("description", "双方因院墙外通道堆放柴火发生口角，要求调解。"),
        place=place,
        risk=fields.pop("risk", RiskGrade.LOW),
        parties=fields.pop("parties", [party(), party(PartyRole.RESPONDENT, name="李四")]),
        **fields,
    )
    return services.register_case(
        data, actor=actor, now=now or timezone.now(), initial_status=initial_status
    )


def put_on_case(case, *, unit=None, person=None, kind="lead", ended=False):
    """Make a unit and/or person a handler of `case` directly (test set-up only: the way in
    is the 交办 and dispatch.handlers); `ended` makes it a past assignment."""
    from zongzhi.cases.models import CaseAssignment

    now = timezone.now()
    return CaseAssignment.objects.create(
        case=case,
        kind=kind,
        unit=unit,
        assignee=person,
        assigned_at=now,
        ended_at=now if ended else None,
    )


@dataclass
class Township:
    place: Place
    village: Place
    grid: Place
    clerk: User
    leader: User
    handler: User
    grid_worker: User
    unit: Unit


@dataclass
class CountyWorld:
    city: Place
    county: Place
    east: Township
    west: Township
    county_clerk: User
    county_leader: User
    analyst: User
    dispute_type: DisputeType


def _township(county: Place, code: str, name: str) -> Township:
    town = PlaceFactory(code=code, name=name, level=Level.TOWNSHIP, parent=county)
    village = PlaceFactory(code=code + "001", name=name + "一村", level=Level.VILLAGE, parent=town)
    grid = PlaceFactory(code=code + "001-01", name="第一网格", level=Level.GRID, parent=village)
    unit = UnitFactory(name=name + "司法所", place=town)
    return Township(
        place=town,
        village=village,
        grid=grid,
        clerk=UserFactory(username=f"clerk-{code}", role=Role.WINDOW_CLERK, place=town),
        leader=UserFactory(username=f"leader-{code}", role=Role.CENTRE_LEADER, place=town),
        handler=UserFactory(
            username=f"handler-{code}", role=Role.DEPARTMENT_HANDLER, place=town, unit=unit
        ),
        grid_worker=UserFactory(username=f"grid-{code}", role=Role.GRID_WORKER, place=grid),
        unit=unit,
    )


def county_world() -> CountyWorld:
    city = PlaceFactory(code="530400", name="玉溪市", level=Level.CITY)
    county = PlaceFactory(code="530402", name="红塔区", level=Level.COUNTY, parent=city)
    return CountyWorld(
        city=city,
        county=county,
        east=_township(county, "530402001", "玉兴街道"),
        west=_township(county, "530402002", "凤凰街道"),
        county_clerk=UserFactory(username="clerk-county", role=Role.WINDOW_CLERK, place=county),
        county_leader=UserFactory(username="leader-county", role=Role.CENTRE_LEADER, place=county),
        analyst=UserFactory(username="analyst-county", role=Role.ANALYST, place=county),
        dispute_type=DisputeTypeFactory(),
    )


class CoverageFactory(factory.django.DjangoModelFactory):
    """A 包保 row (dispatch.models.Coverage): by default a county leader covering a township
    from the first of this year, open-ended."""

    class Meta:
        model = "dispatch.Coverage"

    cadre = factory.SubFactory(UserFactory, role=Role.CENTRE_LEADER)
    title = "县委常委"
    kind = "county_leader"
    place = factory.SubFactory(PlaceFactory, level=Level.TOWNSHIP)
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    ends_on = None


def three_people_for(township: Township, county: Place) -> dict[str, "User"]:
    """The 一案三交 people of `township` in the 包保 table: a county leader, the party
    secretary and head (the township's leader account and a second one), and a court leader
    at the county (a department handler). Returns them by kind."""
    court = UnitFactory(name=f"{county.name}人民法院{township.place.code}", place=county)
    people = {
        "county_leader": UserFactory(
            username=f"cadre-{township.place.code}", role=Role.CENTRE_LEADER, place=county
        ),
        "party_secretary": township.leader,
        "government_head": UserFactory(
            username=f"head-{township.place.code}", role=Role.CENTRE_LEADER, place=township.place
        ),
        "political_legal": UserFactory(
            username=f"court-{township.place.code}",
            role=Role.DEPARTMENT_HANDLER,
            place=county,
            unit=court,
        ),
    }
    titles = {
        "county_leader": "县委常委、政法委书记",
        "party_secretary": "党工委书记",
        "government_head": "街道办事处主任",
        "political_legal": "法院副院长",
    }
    for kind, person in people.items():
        CoverageFactory(cadre=person, kind=kind, title=titles[kind], place=township.place)
    return people
