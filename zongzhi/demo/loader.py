"""Load the demo: the seed places, their centres and staff, and thousands of cases.

Every case is registered and moved through `zongzhi.cases.services` with `now=` set in the
past, by an account that may take each action, so the timeline events are the real ones.
"""

import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from zongzhi.accounts.models import Role, User
from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, PartyRole, RiskGrade, Source, Status
from zongzhi.cases.models import Case, DisputeType
from zongzhi.cases.workflow import Action
from zongzhi.demo import people, texts
from zongzhi.demo.cards import add_supervision_cards
from zongzhi.demo.clock import load_clock_demo
from zongzhi.demo.coverage import build_coverage, settle_key_cases
from zongzhi.demo.dispatching import Dispatcher
from zongzhi.demo.places import RealPlaces, load_real_places
from zongzhi.demo.scenarios import COVERAGE, RISK_CHANGE, Plan, random_plan
from zongzhi.demo.staff import Centre, Staff, create_staff
from zongzhi.demo.teams import CROSS_AREA_CASES, add_cross_area_cases
from zongzhi.demo.whistling import whistle_demo
from zongzhi.dispatch import eligibility
from zongzhi.notify.demo import settle_history
from zongzhi.places.models import Level, Place

BATCH = 200
# Civil disputes a people's court tribunal (人民法庭) takes at the county.
TRIBUNAL_TYPES = frozenset({"contract", "land-forest", "marriage-family", "neighbourhood", "wages"})
# (county code, township name) of the township the README's demo accounts work in.
SHOWCASE_TOWNSHIP = ("530402", "玉兴街道")

SOURCE_WEIGHTS = {
    Source.WINDOW: 22,
    Source.GRID: 22,
    Source.CITIZEN: 16,
    Source.HOTLINE_12345: 12,
    Source.POLICE_110: 8,
    Source.PETITION: 6,
    Source.WEATHER_STATION: 6,
    Source.PLATFORM: 5,
    Source.OPEN311: 3,
}
# Who files a case that no staff member registers (the event's actor label).
INTERFACE_NAMES = {
    Source.CITIZEN: "群众（扫码上报）",
    Source.HOTLINE_12345: "12345热线",
    Source.POLICE_110: "110指挥中心",
    Source.PLATFORM: "云智调平台",
    Source.OPEN311: "Open311接口",
}
EXTERNAL_PREFIX = {
    Source.HOTLINE_12345: "GD",
    Source.POLICE_110: "JQ",
    Source.PLATFORM: "YZT",
    Source.OPEN311: "O311-",
}
# Types with many parties (wages, purchase prices, requisitions) are more often medium/high.
CROWD_TYPES = frozenset(
    {"wages", "industry", "land-requisition", "environment", "property-management"}
)
TYPE_WEIGHTS = {
    "marriage-family": 14,
    "neighbourhood": 18,
    "land-forest": 14,
    "wages": 9,
    "contract": 9,
    "consumer": 5,
    "medical": 3,
    "property-management": 4,
    "traffic": 7,
    "land-requisition": 3,
    "environment": 4,
    "construction": 4,
    "industry": 4,
    "other": 2,
}
# Which county unit takes which type (the first that exists); townships and villages below.
COUNTY_ROUTES = {
    "marriage-family": ("family-room", "women", "court"),
    "neighbourhood": ("justice", "police"),
    "land-forest": ("resources", "forestry"),
    "wages": ("hrss", "union"),
    "contract": ("court", "justice"),
    "consumer": ("market",),
    "medical": ("medical-committee", "health"),
    "property-management": ("housing",),
    "traffic": ("traffic-committee", "police"),
    "land-requisition": ("resources", "petition"),
    "environment": ("enforcement",),
    "construction": ("housing", "hrss"),
    "industry": ("agriculture", "market"),
    "other": ("justice", "petition"),
}
TOWNSHIP_ROUTES = {
    "traffic": ("police-station", "committee"),
    "neighbourhood": ("committee", "room", "police-station"),
    "marriage-family": ("room", "committee", "justice-office"),
}
NOTES = {
    Action.REJECT: (
        "经核实不属于矛盾纠纷，已告知当事人通过诉讼途径主张权利",
        "与已登记案件重复，已关联原案件办理",
        "属于信访事项，已引导当事人向信访部门依法反映",
    ),
    Action.SEND_BACK: (
        "该事项不属于本单位职责范围，请重新研判交办",
        "涉及多个部门职责，建议由中心吹哨、部门联合处置",
    ),
    Action.STABILISE: (
        "双方情绪激动，先行稳控，安排网格员和民警盯守",
        "当事人扬言上访，已落实包保责任人稳控",
    ),
    Action.UNSTABILISE: ("情绪已平稳，解除稳控，继续组织调解", "稳控措施落实到位，继续化解"),
    Action.CONCLUDE: {
        Outcome.RESOLVED: (
            "经调解双方达成协议，当场履行完毕",
            "签订人民调解协议书，已申请司法确认",
            "多方联调，双方握手言和，纠纷实质化解",
        ),
        Outcome.UNRESOLVED: (
            "调解不成，已引导当事人通过诉讼途径解决",
            "双方分歧较大，已告知申请仲裁，办结未化解",
        ),
    },
    Action.CLOSE: (
        "电话回访，当事人表示满意，协议已履行",
        "上门回访，矛盾未反弹，予以结案",
        "回访当事人，对办理结果基本满意",
    ),
    Action.REOPEN: (
        "回访发现协议未履行，矛盾反弹，重新启动化解",
        "当事人反映问题依旧，重启办理",
    ),
    Action.MEET: ("已约见双方当事人，了解诉求", "现场查看并分别做双方工作", ""),
}
RISK_NOTES = {
    "up": ("当事人扬言报复，风险自动提级", "涉及人数增多，有聚集苗头，提级管控"),
    "down": ("经研判，双方情绪已平稳，风险降级",),
}
RISK_ORDER = [RiskGrade.LOW, RiskGrade.MEDIUM, RiskGrade.HIGH]


@dataclass
class LoadResult:
    places: int = 0
    units: int = 0
    users: int = 0
    cases: int = 0
    transitions: int = 0
    risk_changes: int = 0
    seconds: float = 0.0
    by_status: Counter = field(default_factory=Counter)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class CaseMaker:
    """Registers and moves one demo case at a time."""

    def __init__(self, tree: RealPlaces, staff: Staff, rng: random.Random, now: datetime):
        self.tree = tree
        self.staff = staff
        self.rng = rng
        self.now = now
        self.types = {t.code: t for t in DisputeType.objects.filter(is_active=True)}
        self.type_weights = {c: w for c, w in TYPE_WEIGHTS.items() if c in self.types} or {
            code: 1 for code in self.types
        }
        self.places: dict[int, Place] = {
            p.pk: p
            for p in [
                tree.province,
                *tree.cities,
                *tree.counties,
                *tree.townships,
                *tree.villages,
                *tree.grids,
                *tree.microgrids,
            ]
        }
        self.grids = tree.grids
        # The COVERAGE cases (every step and colour) happen in the township whose accounts
        # the README names, so those accounts see a working centre from their first login.
        showcase = [
            t
            for t in tree.townships
            if (self.places[t.parent_id].code, t.name) == SHOWCASE_TOWNSHIP
        ]
        self.showcase = showcase[0] if showcase else None
        self.showcase_grids = [
            g for g in tree.grids if showcase and g.path.startswith(showcase[0].path)
        ] or tree.grids
        self.micro_by_grid: dict[int, list[Place]] = {}
        for micro in tree.microgrids:
            self.micro_by_grid.setdefault(micro.parent_id, []).append(micro)
        self.external_counter = 0
        self.result = LoadResult()
        self.dispatcher = Dispatcher(staff, rng, now - timedelta(minutes=1))

    # --- places and people ---

    def ancestor(self, place: Place, level: Level) -> Place:
        while place.level > level:
            place = self.places[place.parent_id]
        return place

    def location(self, place: Place) -> str:
        names = []
        node = place
        while node.level >= Level.COUNTY:
            names.append(node.name)
            node = self.places[node.parent_id]
        return "".join(reversed(names))

    def party(self, role: PartyRole, county_code: str, village: Place) -> services.PartyData:
        rng = self.rng
        male = rng.random() < 0.55
        birth = people.birth_date(rng, self.now.date())
        return services.PartyData(
            role=role,
            name=people.person_name(rng, male),
            id_number=people.id_number(rng, county_code, birth, male),
            phone=people.mobile(rng),
            address=f"{self.location(village)}{rng.choice(texts.GROUPS)}{rng.randint(1, 88)}号",
        )

    # --- choosing who handles it ---

    def handling_centre(self, plan: Plan, risk: RiskGrade, grid: Place) -> Centre:
        level = plan.level
        if level is None:
            draw = self.rng.random()
            if risk == RiskGrade.HIGH:
                level = Level.COUNTY
            elif risk == RiskGrade.MEDIUM:
                level = Level.COUNTY if draw < 0.6 else Level.TOWNSHIP
            else:
                level = Level.TOWNSHIP if draw < 0.6 else Level.VILLAGE
        return self.staff.centres[self.ancestor(grid, level).pk]

    def unit_key(self, centre: Centre, type_code: str, exclude: str | None = None) -> str:
        if centre.place.level == Level.COUNTY:
            route = COUNTY_ROUTES.get(type_code, ("justice",))
        elif centre.place.level == Level.TOWNSHIP:
            route = TOWNSHIP_ROUTES.get(type_code, ("justice-office", "committee"))
        else:
            route = ("committee", "room") if self.rng.random() < 0.7 else ("room", "committee")
        keys = [k for k in route if k in centre.members and k != exclude]
        if not keys:
            # Any other unit of the centre (the tribunal serves a few townships only).
            usual = [k for k in centre.members if k != "tribunal"]
            keys = [k for k in usual if k != exclude] or usual
        # Mostly the first choice, sometimes the next.
        return keys[0] if len(keys) == 1 or self.rng.random() < 0.75 else self.rng.choice(keys)

    def tribunal_or(self, centre: Centre, case: Case, type_code: str, exclude) -> str:
        """The county's 人民法庭 for some civil cases of the townships it serves, else the
        usual unit for the type."""
        tribunal = centre.units.get("tribunal")
        if (
            tribunal is not None
            and type_code in TRIBUNAL_TYPES
            and exclude != "tribunal"
            and self.rng.random() < 0.5
            and eligibility.may_take_unit(case, tribunal)
        ):
            return "tribunal"
        return self.unit_key(centre, type_code, exclude=exclude)

    # --- one case ---

    def make(self, index: int) -> Case:
        rng = self.rng
        plan = COVERAGE[index] if index < len(COVERAGE) else random_plan(rng)
        type_code = _weighted(rng, self.type_weights)
        dispute_type = self.types[type_code]
        crowd = type_code in CROWD_TYPES
        risk = (
            plan.risk or rng.choices(RISK_ORDER, weights=[45, 38, 17] if crowd else [65, 28, 7])[0]
        )
        source = plan.source or _weighted(rng, SOURCE_WEIGHTS)
        if plan.initial == Status.VISIT:
            source = Source.GRID

        if index < len(COVERAGE):
            grid = self.showcase_grids[index % len(self.showcase_grids)]
        else:
            grid = rng.choice(self.grids)
        micro = self.micro_by_grid.get(grid.pk)
        if micro and rng.random() < 0.5:
            grid = rng.choice(micro)
        village = self.ancestor(grid, Level.VILLAGE)
        county = self.ancestor(grid, Level.COUNTY)
        place = grid if source == Source.GRID or rng.random() < 0.65 else village
        centre = self.handling_centre(plan, risk, grid)

        actor: User | None
        if source == Source.GRID:
            actor = self.staff.grid_workers[grid.pk]
        elif source in (Source.WINDOW, Source.PETITION):
            actor = centre.clerk
        elif source == Source.WEATHER_STATION:
            actor = self.staff.centres[village.pk].leader
        else:
            actor = None
        external_id = None
        if source in EXTERNAL_PREFIX:
            self.external_counter += 1
            external_id = f"{EXTERNAL_PREFIX[source]}{county.code}{self.external_counter:07d}"

        applicant = self.party(PartyRole.APPLICANT, county.code, village)
        respondent = self.party(PartyRole.RESPONDENT, county.code, village)
        parties = [applicant, respondent]
        if rng.random() < 0.15:
            parties.append(self.party(PartyRole.OTHER, county.code, village))
        title, description = texts.case_text(
            rng,
            type_code,
            {
                # Case texts name parties as 张某 (as Chinese case records do), so that
                # titles, shown unmasked in lists, carry no full names.
                "a": applicant.name[0] + "某",
                "b": respondent.name[0]
                + ("某某" if respondent.name[0] == applicant.name[0] else "某"),
                "village": village.name,
                "town": self.ancestor(grid, Level.TOWNSHIP).name,
            },
        )
        people_count = rng.randint(5, 60) if crowd and rng.random() < 0.6 else rng.randint(2, 4)
        started = self.now - plan.age
        case = services.register_case(
            services.CaseData(
                source=source,
                dispute_type=dispute_type,
                title=title,
                description=description,
                place=place,
                risk=risk,
                people_count=max(people_count, len(parties)),
                parties=parties,
                location_text=self.location(place),
                latitude=_near(rng, place.latitude),
                longitude=_near(rng, place.longitude),
                external_id=external_id,
            ),
            actor=actor,
            actor_name=INTERFACE_NAMES.get(source, "群众"),
            initial_status=plan.initial,
            now=started,
        )
        self.result.cases += 1
        self.walk(case, plan, started, centre, type_code, grid)
        self.result.by_status[str(case.status)] += 1
        return case

    def walk(self, case: Case, plan: Plan, at: datetime, centre: Centre, type_code, grid) -> None:
        """Take the plan's steps in order until the next one would lie in the future."""
        rng = self.rng
        unit_key = None
        # CLOSE ends the assignments and nothing re-assigns a reopened case (ASSIGN starts
        # from ASSESS only), so after a reopen the centre's leader works it.
        assigned = False
        latest = self.now - timedelta(minutes=1)
        routed = False
        for step in plan.steps:
            at = at + step.gap
            if at > latest:
                return
            if not routed and step.action in (Action.ACCEPT, Action.REJECT):
                # The centre the plan chose takes the case through routing and moves first.
                routed = True
                arrived = self.dispatcher.route(case, centre, at)
                if arrived is None:
                    return  # still on its way: a move waits to be signed for
                at = arrived
            if step.action == RISK_CHANGE:
                self.change_risk(case, at, county_id=case.county_id)
                continue
            action = Action(step.action)
            kwargs: dict = {}
            if action in (Action.SCREEN, Action.REPORT):
                actor = self.staff.grid_workers[grid.pk]
            elif action in (Action.ACCEPT, Action.REJECT, Action.REOPEN):
                actor = centre.clerk
            elif action == Action.ASSIGN:
                actor = centre.clerk
                unit_key = self.tribunal_or(centre, case, type_code, exclude=unit_key)
                kwargs["unit"] = centre.units[unit_key]
                kwargs["joint_units"] = self.dispatcher.joint_units(case, centre, kwargs["unit"])
                assigned = True
            elif action == Action.CLOSE:
                handler = centre.members.get(unit_key)
                use_handler = handler and handler.role == Role.MEDIATOR and rng.random() < 0.5
                actor = handler if use_handler else centre.clerk
            else:  # the handler's own actions
                actor = centre.members[unit_key] if assigned else centre.leader
            if action in (Action.CLOSE, Action.SEND_BACK):
                assigned = False
            if action == Action.CONCLUDE:
                kwargs["outcome"] = step.outcome or Outcome.RESOLVED
                note = rng.choice(NOTES[Action.CONCLUDE][kwargs["outcome"]])
            else:
                note = rng.choice(NOTES.get(action, ("",)))
            services.transition(case, action, actor=actor, note=note, now=at, **kwargs)
            self.result.transitions += 1
            if action == Action.MEET:
                self.dispatcher.joint_part(case, centre, at)

    def change_risk(self, case: Case, at: datetime, county_id: int) -> None:
        position = RISK_ORDER.index(RiskGrade(case.risk))
        if position < 2:
            new, notes = RISK_ORDER[position + 1], RISK_NOTES["up"]
        else:
            new, notes = RISK_ORDER[position - 1], RISK_NOTES["down"]
        services.change_risk(
            case, new, actor=self.staff.analysts[county_id], note=self.rng.choice(notes), now=at
        )
        self.result.risk_changes += 1


def _near(rng: random.Random, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return (value + Decimal(f"{rng.uniform(-0.003, 0.003):.6f}")).quantize(Decimal("0.000001"))


def demo_present() -> bool:
    return User.objects.filter(username="admin", role=Role.ADMINISTRATOR).exists()


def load_demo(
    *,
    cases: int = 4000,
    seed: int = 2025,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Places, units, staff, then `cases` cases in batches of BATCH (one transaction each)."""
    started = time.monotonic()
    say = progress or (lambda message: print(message, file=sys.stderr))
    now = now or timezone.now()
    rng = random.Random(seed)
    tree = load_real_places(seed)
    staff = create_staff(tree, seed)
    build_coverage(tree, staff, seed, now)  # 包保: before the cases, which become key by rule
    say(
        f"地点 places: {tree.count}, 单位 units: {len(staff.units)}, 账号 users: {len(staff.users)}"
    )
    maker = CaseMaker(tree, staff, rng, now)
    # The cross-area cases (zongzhi.demo.teams) are among the `cases`, made last.
    generated = cases - CROSS_AREA_CASES if cases > CROSS_AREA_CASES else cases
    # `make demo` runs with DEBUG on; logging ~150,000 queries would cost about a tenth.
    with override_settings(DEBUG=False):
        for start in range(0, generated, BATCH):
            with transaction.atomic():
                for index in range(start, min(start + BATCH, generated)):
                    maker.make(index)
            done = min(start + BATCH, generated)
            say(f"案件 cases: {done}/{cases} ({time.monotonic() - started:.1f} s)")
    if maker.showcase is not None:
        maker.dispatcher.leave_for_signing(maker.showcase)
        whistle_demo(staff, maker.showcase, now, rng)
    if generated < cases:
        add_cross_area_cases(now, maker.result)
    add_supervision_cards(staff, random.Random(seed), maker.dispatcher.latest, maker.showcase)
    load_clock_demo(now)
    settle_history(now)
    settle_key_cases(now, seed)  # 一案三交 duties recorded, 一案一策 plans
    result = maker.result
    result.places = tree.count
    result.units = len(staff.units)
    result.users = len(staff.users)
    result.seconds = time.monotonic() - started
    return result
