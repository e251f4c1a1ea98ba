"""吹哨报到 in the demo: every unit of the showcase county names its 综治专员 (the unit's demo
member) and a 分管领导 (a new account "<member>-lead"), and a few open cases of the showcase
township are whistled, in every state: reported back, reported in, one late to report in,
one just whistled, and one 多长联调 with the preset roster."""

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Max

from zongzhi.accounts.models import User
from zongzhi.cases.choices import Status
from zongzhi.cases.models import Case
from zongzhi.demo.people import person_name
from zongzhi.demo.staff import DEMO_PASSWORD, Staff
from zongzhi.dispatch import whistles
from zongzhi.dispatch.joint_call import fill_seats
from zongzhi.dispatch.models import UnitContacts
from zongzhi.dispatch.whistles import Call
from zongzhi.places.models import Place

NOTES = (
    "当事人情绪激动，请派员到场参与联合调处",
    "涉及劳动报酬和社保补缴，请核实后提出处理意见",
    "双方对宅基地界址争议较大，请到场测量并出具意见",
)
RESULTS = (
    "已派员到场，向双方讲解相关规定，双方同意按调解方案履行",
    "已核实情况并提出处理意见，移交主办单位继续化解",
)
# Units of the township and the county whistled in the ordinary examples, by demo key.
TOWNSHIP_KEYS = ("police-station", "justice-office")
COUNTY_KEYS = ("hrss", "housing", "police", "resources")


def name_contacts(staff: Staff, county: Place, rng: random.Random) -> None:
    """A liaison (the unit's member) and a leader in charge (a new account) for every unit of
    the county's centre and of its townships."""
    centres = [
        c
        for c in staff.centres.values()
        if c.place.pk == county.pk or c.place.parent_id == county.pk
    ]
    password = make_password(DEMO_PASSWORD)
    leaders, contacts = [], []
    for centre in centres:
        for key, unit in centre.units.items():
            member = centre.members.get(key)
            if member is None:
                continue
            leader = User(
                username=f"{member.username}-lead",
                display_name=person_name(rng, rng.random() < 0.6),
                role=member.role,
                place=member.place,
                unit=unit,
                password=password,
            )
            leaders.append(leader)
            contacts.append(UnitContacts(unit=unit, liaison=member, leader=leader))
    User.objects.bulk_create(leaders, batch_size=500)
    UnitContacts.objects.bulk_create(contacts, batch_size=500)


WHISTLED_STATUSES = (Status.ASSESS, Status.ASSIGN, Status.RESOLVE, Status.STABILISE)
# (hours before `latest` it was whistled, how many report in, how many report back); the
# 多长联调 case is whistled JOINT_HOURS before.
PLANS = ((80, 3, 2), (30, 2, 0), (28, 1, 0), (1, 0, 0))
JOINT_HOURS = 5


def _cases(township: Place) -> list[Case]:
    """Open cases of the township (held by it or one of its villages), quietest first."""
    return list(
        Case.objects.filter(place_path__startswith=township.path, status__in=WHISTLED_STATUSES)
        .exclude(holding_place=None)
        .annotate(last_event=Max("events__created_at"))
        .order_by("last_event", "id")
    )


def _quiet_since(cases: list[Case], moment: datetime) -> Case | None:
    """The first unused case whose timeline ends before `moment` (whistles and reports come
    after everything else on it); taken out of `cases`."""
    for index, case in enumerate(cases):
        if case.last_event < moment:
            return cases.pop(index)
    return None


def whistle_demo(staff: Staff, township: Place, latest: datetime, rng: random.Random) -> int:
    """Liaisons and leaders for the county of `township`, and whistled cases there; returns
    how many sub-tasks were made."""
    name_contacts(staff, township.parent, rng)
    town = staff.centres[township.pk]
    county = staff.centres[township.parent_id]
    units = [town.units[k] for k in TOWNSHIP_KEYS if k in town.units]
    units += [county.units[k] for k in COUNTY_KEYS if k in county.units]
    cases = _cases(township)
    made = 0
    for hours_ago, reporting_in, reporting_back in PLANS:
        at = latest - timedelta(hours=hours_ago)
        case = _quiet_since(cases, at)
        if case is None:
            continue
        chosen = rng.sample(units, k=min(3, len(units)))
        tasks, _ = whistles.whistle(
            case,
            [Call(unit=u) for u in chosen],
            actor=staff.centres[case.holding_place_id].clerk,
            note=rng.choice(NOTES),
            now=at,
        )
        for index, task in enumerate(tasks[:reporting_in]):
            # The second unit of the 30-hour case reports in late (after its 24 hours).
            delay = 26 if (hours_ago == 30 and index == 1) else rng.uniform(0.5, 6)
            reporter = task.liaison or task.leader
            whistles.report_in(task, reporter, "已收到，马上安排", now=at + timedelta(hours=delay))
            if index < reporting_back:
                when = at + timedelta(hours=delay + rng.uniform(20, 50))
                whistles.report_back(task, reporter, rng.choice(RESULTS), now=min(when, latest))
        made += len(tasks)
    at = latest - timedelta(hours=JOINT_HOURS)
    case = _quiet_since(cases, at)
    if case is not None:
        made += _joint_call(case, staff.centres[case.holding_place_id].clerk, at, rng)
    return made


def _joint_call(case: Case, clerk: User, at: datetime, rng: random.Random) -> int:
    """多长联调 on one case: the preset roster as filled for its place, two reported in."""
    calls = [
        Call(unit=f.unit, person=f.person, seat=f.seat.key)
        for f in fill_seats(case)
        if f.unit is not None or f.person is not None
    ]
    if not calls:
        return 0
    tasks, _ = whistles.whistle(
        case, calls, actor=clerk, note="多长联调：请各方到场联合调处", now=at
    )
    for task in tasks[:2]:
        reporter = task.liaison or task.leader
        if reporter is not None:
            later = at + timedelta(hours=rng.uniform(1, 3))
            whistles.report_in(task, reporter, "已到场", now=later)
    return len(tasks)
