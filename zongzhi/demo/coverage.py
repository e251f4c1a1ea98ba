"""The demo's 包保 table and its key cases (一案三交, 一案一策).

`build_coverage` runs before the cases are loaded: for every county, county leaders cover two
or three townships each, a leadership member of the court, procuratorate, public security
bureau and justice bureau covers each township, each township has its party secretary and
head, and its leadership members cover its villages. In the showcase township (玉兴街道)
township cadres also cover the grids (as villagers' groups) and village cadres households.
One township of each county lost its county leader to a reshuffle (an ended row), so its key
cases name the missing person. Key cases then arise by rule as the cases are registered.

`settle_key_cases` runs after them: the responsible people record most duties (some late,
a few still open or overdue) and the recent open key cases get a plan (一案一策).
"""

import random
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password

from zongzhi.accounts.models import Role, User
from zongzhi.clock.calendar import local_date
from zongzhi.demo.people import person_name
from zongzhi.demo.places import RealPlaces
from zongzhi.demo.staff import DEMO_PASSWORD, Staff
from zongzhi.dispatch import key_cases, plans
from zongzhi.dispatch.models import Coverage, Duty, KeyCase
from zongzhi.dispatch.models.coverage import CoverKind
from zongzhi.places.models import Place

COUNTY_TITLES = (
    "县委书记",
    "县长",
    "县委副书记",
    "县委常委、政法委书记",
    "县委常委、组织部部长",
    "县委常委、常务副县长",
    "县委常委、宣传部部长",
    "副县长、公安局局长",
    "县人大常委会副主任",
    "县政协副主席",
)
# The political-legal units at the county centre (demo.staff.COUNTY_UNITS keys) and the titles
# of the leadership members who cover townships.
POLITICAL_LEGAL = (
    ("court", ("副院长", "审判委员会专职委员")),
    ("procuratorate", ("副检察长", "检察委员会专职委员")),
    ("police", ("副局长", "政委")),
    ("justice", ("副局长", "党组成员")),
)
MEMBER_TITLES = ("党委副书记", "人大主席", "纪委书记", "副镇长", "组织委员", "武装部部长")
HOUSEHOLDS = ("杨某某户", "李某某户", "普某某户", "张某某户", "王某某户")
DUTY_NOTES = {
    "act": ("已召集相关部门研究化解方案，明确专人跟进", "已约谈双方当事人，督促落实调解协议"),
    "visit": ("已入户走访当事人，情绪稳定，落实专人稳控", "已组织村组干部走访，掌握当事人动态"),
    "report": ("已带案下沉，指导乡镇依法开展调解，并报告县委政法委", "已下沉指导，提出法律意见"),
}
PLAN_MEASURES = (
    "约谈双方当事人，释法明理，提出调解方案",
    "联系人社、住建部门核实欠薪金额和工程款结算",
    "落实村组干部和网格员每日走访，掌握当事人动态",
    "组织法治副村长参与调解，做好司法确认准备",
    "协调派出所做好现场秩序维护和风险防范",
)


def build_coverage(tree: RealPlaces, staff: Staff, seed: int, now: datetime) -> int:
    """The accounts of the covering cadres and the 包保 table (bulk-created); returns the
    number of rows."""
    rng = random.Random(seed + 12)
    today = local_date(now)
    password = make_password(DEMO_PASSWORD)
    users: list[User] = []
    rows: list[tuple[User, str, str, Place, str, date, date | None]] = []

    def account(username: str, role: Role, place: Place, unit=None) -> User:
        user = User(
            username=username,
            display_name=person_name(rng, rng.random() < 0.7),
            role=role,
            place=place,
            unit=unit,
            password=password,
        )
        users.append(user)
        return user

    def since() -> date:
        return today - timedelta(days=rng.randint(200, 900))

    towns_by_county: dict[int, list[Place]] = {}
    for town in tree.townships:
        towns_by_county.setdefault(town.parent_id, []).append(town)
    villages_by_town: dict[int, list[Place]] = {}
    for village in tree.villages:
        villages_by_town.setdefault(village.parent_id, []).append(village)
    grids_by_village: dict[int, list[Place]] = {}
    for grid in tree.grids:
        grids_by_village.setdefault(grid.parent_id, []).append(grid)

    for county in tree.counties:
        slug = tree.slugs[county.code]
        towns = towns_by_county.get(county.pk, [])
        if not towns:
            continue
        centre = staff.centres[county.pk]
        leaders = [
            (account(f"{slug}-cadre-{i + 1}", Role.CENTRE_LEADER, county), COUNTY_TITLES[i])
            for i in range(min(len(COUNTY_TITLES), max(1, (len(towns) + 2) // 3)))
        ]
        legal = []
        for key, titles in POLITICAL_LEGAL:
            unit = centre.units.get(key)
            for n, title in enumerate(titles):
                person = account(
                    f"{slug}-{key}-leader{n + 1}", Role.DEPARTMENT_HANDLER, county, unit
                )
                legal.append((person, f"{unit.name if unit else ''}{title}"))
        for index, town in enumerate(towns):
            town_slug = f"{slug}-{tree.slugs[town.code]}"
            leader, title = leaders[index % len(leaders)]
            if index == len(towns) - 1 and len(towns) > 1:
                # A reshuffle: the former county leader's coverage ended, no successor yet.
                ended = today - timedelta(days=rng.randint(150, 200))
                rows.append(
                    (
                        leader,
                        title,
                        CoverKind.COUNTY_LEADER,
                        town,
                        "",
                        since() - timedelta(days=400),
                        ended,
                    )
                )
            else:
                rows.append((leader, title, CoverKind.COUNTY_LEADER, town, "", since(), None))
            person, title = legal[index % len(legal)]
            rows.append((person, title, CoverKind.POLITICAL_LEGAL, town, "", since(), None))
            street = town.name.endswith("街道")
            secretary = account(f"{town_slug}-secretary", Role.CENTRE_LEADER, town)
            head = account(f"{town_slug}-head", Role.CENTRE_LEADER, town)
            rows.append(
                (
                    secretary,
                    "党工委书记" if street else "党委书记",
                    CoverKind.PARTY_SECRETARY,
                    town,
                    "",
                    since(),
                    None,
                )
            )
            head_title = (
                "街道办事处主任" if street else ("乡长" if town.name.endswith("乡") else "镇长")
            )
            rows.append((head, head_title, CoverKind.GOVERNMENT_HEAD, town, "", since(), None))
            villages = villages_by_town.get(town.pk, [])
            members = [
                (account(f"{town_slug}-member{m + 1}", Role.CENTRE_LEADER, town), MEMBER_TITLES[m])
                for m in range(min(len(MEMBER_TITLES), max(1, (len(villages) + 1) // 2)))
            ]
            for v_index, village in enumerate(villages):
                member, title = members[v_index % len(members)]
                rows.append((member, title, CoverKind.TOWNSHIP_LEADER, village, "", since(), None))
            if index == 0 or town.name == "玉兴街道":
                _groups_and_households(
                    town, town_slug, villages, grids_by_village, staff, account, rows, since
                )

    User.objects.bulk_create(users, batch_size=1000)
    Coverage.objects.bulk_create(
        [
            Coverage(
                cadre=cadre,
                title=title,
                kind=kind,
                place=place,
                label=label,
                starts_on=starts,
                ends_on=ends,
            )
            for cadre, title, kind, place, label, starts, ends in rows
        ],
        batch_size=1000,
    )
    return len(rows)


def _groups_and_households(
    town, town_slug, villages, grids_by_village, staff, account, rows, since
):
    """Township cadres cover the grids (as villagers' groups); the village's leader covers two
    households (labels)."""
    cadres = [account(f"{town_slug}-cadre{n + 1}", Role.WINDOW_CLERK, town) for n in range(3)]
    count = 0
    for village in villages:
        for grid in grids_by_village.get(village.pk, []):
            rows.append(
                (cadres[count % 3], "乡镇干部", CoverKind.TOWNSHIP_CADRE, grid, "", since(), None)
            )
            count += 1
        village_leader = staff.centres[village.pk].leader
        for household in HOUSEHOLDS[:2]:
            rows.append(
                (
                    village_leader,
                    "村党总支书记",
                    CoverKind.VILLAGE_CADRE,
                    village,
                    household,
                    since(),
                    None,
                )
            )


def settle_key_cases(now: datetime, seed: int) -> int:
    """The responsible people record their duties (most on time, some late, the recent ones
    partly still open) and recent open key cases get a plan; returns the number of key cases."""
    rng = random.Random(seed + 13)
    keys = KeyCase.objects.select_related("case").order_by("handed_at", "pk")
    for key in keys:
        case = key.case
        duties = Duty.objects.filter(key_case=key).select_related("deadline", "person")
        if case.is_open and now - key.handed_at < timedelta(days=2):
            duties = []  # handed over lately: the people have yet to act (on their home page)
        for duty in duties:
            handed, due = key.handed_at, duty.deadline.due_at
            chance = rng.random()
            if chance < 0.8:
                at = handed + (due - handed) * rng.uniform(0.2, 0.9)
            elif chance < 0.9:
                at = due + timedelta(hours=rng.uniform(2, 40))
            else:
                continue  # still open: pending, or late when its time has passed
            if at >= now:
                continue
            note = rng.choice(DUTY_NOTES[duty.kind])
            key_cases.complete_duty(case, duty.pk, actor=duty.person, note=note, now=at)
        if case.is_open and now - key.handed_at < timedelta(days=20):
            _plan(case, key, rng, now)
    return keys.count()


def _plan(case, key: KeyCase, rng: random.Random, now: datetime) -> None:
    duty = Duty.objects.filter(key_case=key).select_related("person").first()
    if duty is None:
        return
    at = key.handed_at + timedelta(hours=rng.uniform(1, 6))
    if at >= now:
        return
    people = list(plans.plan_people(case)[:30])
    for measure in rng.sample(PLAN_MEASURES, 3):
        due_on = local_date(at) + timedelta(days=rng.randint(1, 10))
        item = plans.add_plan_item(
            case,
            actor=duty.person,
            measure=measure,
            person=rng.choice(people),
            due_on=due_on,
            now=at,
        )
        done = at + timedelta(days=rng.uniform(0.5, 8))
        if done < now and rng.random() < 0.6:
            plans.complete_plan_item(case, item.pk, actor=item.person, note="已按期落实", now=done)
