"""Demo cross-area cases with their joint teams (跨区域 "一案一专班"), made through the
services like every other demo case.

- A boundary forest-land dispute between 玉兴街道 and 凤凰街道 (红塔区), held by 玉兴街道:
  its leader leads the team, with 凤凰街道's leader and justice office and the county's
  natural-resources bureau; one member added by mistake was removed again.
- An irrigation-water dispute across the county line between 红塔区研和街道 and 江川区前卫镇,
  held by the 红塔区 centre: its leader leads, with 江川区's leader, both townships' leaders
  and 前卫镇's justice office.

Members log in as `hongta-fenghuang-leader`, `hongta-fenghuang-justice-office`,
`jiangchuan-qianwei-leader` … and find the case on their home page.
"""

from datetime import datetime, timedelta

from django.db import transaction

from zongzhi.accounts.models import Unit, User
from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole, RiskGrade, Source
from zongzhi.cases.models import Case, DisputeType
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import teams
from zongzhi.dispatch.models.teams import TeamRole
from zongzhi.places.models import Level, Place

CROSS_AREA_CASES = 2
TRANSITIONS_EACH = 2  # accepted and assigned


def _user(username: str) -> User:
    return User.objects.select_related("place", "unit").get(username=username)


def _village(township_code_name: str) -> Place:
    town = Place.objects.get(name=township_code_name, level=Level.TOWNSHIP)
    return Place.objects.filter(parent=town, level=Level.VILLAGE).order_by("code").first()


def _party(role: PartyRole, name: str, phone: str, address: str) -> services.PartyData:
    return services.PartyData(role=role, name=name, phone=phone, address=address)


def _register(*, clerk: User, place: Place, title: str, description: str, people: int, at):
    return services.register_case(
        services.CaseData(
            source=Source.WINDOW,
            dispute_type=DisputeType.objects.get(code="land-forest"),
            title=title,
            description=description,
            place=place,
            risk=RiskGrade.MEDIUM,
            people_count=people,
            parties=[
                _party(PartyRole.APPLICANT, "普建华", "13908771234", f"{place.name}3组"),
                _party(PartyRole.RESPONDENT, "李国兴", "13987705678", "相邻村民小组"),
            ],
            location_text=f"{place.name}交界处",
            latitude=place.latitude,
            longitude=place.longitude,
        ),
        actor=clerk,
        now=at,
    )


def _unit_of(username: str) -> Unit:
    return _user(username).unit


def _boundary_case(now: datetime) -> Case:
    start = now - timedelta(days=6)
    clerk = _user("hongta-yuxing-clerk")
    case = _register(
        clerk=clerk,
        place=_village("玉兴街道"),
        title="玉兴街道与凤凰街道交界处林地权属纠纷",
        description="两街道交界处约40亩林地，双方村民小组均称为本组集体林地，"
        "因采伐林木发生争执，需两街道共同勘界调处。",
        people=24,
        at=start,
    )
    services.transition(case, Action.ACCEPT, actor=clerk, now=start + timedelta(hours=2))
    services.transition(
        case,
        Action.ASSIGN,
        actor=clerk,
        unit=_unit_of("hongta-yuxing-justice-office"),
        now=start + timedelta(hours=4),
    )
    leader = _user("hongta-yuxing-leader")
    formed = start + timedelta(days=1)
    teams.create_team(
        case,
        actor=leader,
        leader=leader,
        members=[
            _user("hongta-fenghuang-leader"),
            _user("hongta-fenghuang-justice-office"),
            _user("hongta-resources"),
        ],
        plan="一、县自然资源局调取两街道林权登记和勘界资料；\n"
        "二、两街道司法所分别做通本方村民小组工作，暂停采伐；\n"
        "三、组织双方现场指界，形成调解方案。",
        target_days=10,
        now=formed,
    )
    teams.add_member(
        case,
        actor=leader,
        user=_user("hongta-beicheng-leader"),
        now=formed + timedelta(hours=1),
    )
    row = case.team.members.get(user__username="hongta-beicheng-leader", removed_at__isnull=True)
    teams.remove_member(
        case,
        row.pk,
        actor=leader,
        reason="北城街道不涉及该地块，移出专班",
        now=formed + timedelta(hours=2),
    )
    teams.record_team_part(
        case,
        _user("hongta-fenghuang-justice-office"),
        "已约谈凤凰街道一侧村民小组组长，同意暂停采伐，等待现场指界。",
        now=formed + timedelta(days=2),
    )
    teams.record_team_part(
        case,
        _user("hongta-resources"),
        "已调取两街道林权登记资料，界线图已发专班成员。",
        now=formed + timedelta(days=3),
    )
    return case


def _water_case(now: datetime) -> Case:
    start = now - timedelta(days=4)
    clerk = _user("hongta-clerk")
    case = _register(
        clerk=clerk,
        place=_village("研和街道"),
        title="研和街道与江川区前卫镇交界灌溉水渠用水纠纷",
        description="旱季两地村民共用的灌溉水渠放水时段争议，前卫镇一侧村民堵渠，"
        "研和街道一侧农田缺水，涉及两县区，需跨区域联合调处。",
        people=40,
        at=start,
    )
    services.transition(case, Action.ACCEPT, actor=clerk, now=start + timedelta(hours=1))
    services.transition(
        case,
        Action.ASSIGN,
        actor=clerk,
        unit=_unit_of("hongta-agriculture"),
        now=start + timedelta(hours=3),
    )
    leader = _user("hongta-leader")
    formed = start + timedelta(hours=20)
    teams.create_team(
        case,
        actor=leader,
        leader=leader,
        members=[
            _user("hongta-yanhe-leader"),
            _user("jiangchuan-qianwei-leader"),
            _user("jiangchuan-qianwei-justice-office"),
        ],
        plan="两区各出一名分管领导牵头，先行恢复轮灌，七日内议定放水时段协议。",
        target_days=7,
        now=formed,
    )
    teams.add_member(
        case,
        actor=leader,
        user=_user("jiangchuan-leader"),
        role=TeamRole.DEPUTY,
        now=formed + timedelta(hours=2),
    )
    teams.record_team_part(
        case,
        _user("jiangchuan-qianwei-leader"),
        "前卫镇已劝离堵渠村民，恢复轮灌，待协商放水时段。",
        now=formed + timedelta(days=1),
    )
    return case


def add_cross_area_cases(now: datetime, result) -> list[Case]:
    """The demo's cross-area cases with their teams (after the other demo cases), counted
    into the loader's `result` (cases, transitions, statuses)."""
    with transaction.atomic():
        made = [_boundary_case(now), _water_case(now)]
    for case in made:
        result.cases += 1
        result.transitions += TRANSITIONS_EACH
        result.by_status[str(case.status)] += 1
    return made
