"""The demo's centres: the units stationed at each and a staff account for every role.

All accounts share one easy password (DEMO_PASSWORD), hashed once: hashing it for each of
the ~2,500 accounts would take minutes with PBKDF2.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from zongzhi.accounts.models import Role, Unit, UnitKind, User
from zongzhi.demo.people import person_name
from zongzhi.demo.places import RealPlaces
from zongzhi.places.models import Place

DEMO_PASSWORD = "zongzhi-demo"

# County centres (县级综治中心): key, department, kind, name after the county's name.
COUNTY_UNITS: tuple[tuple[str, str, UnitKind, str], ...] = (
    ("office", "综治中心", UnitKind.CENTRE_OFFICE, "综治中心综合受理窗口"),
    ("court", "法院", UnitKind.STATIONED, "人民法院"),
    ("procuratorate", "检察院", UnitKind.STATIONED, "人民检察院"),
    ("police", "公安", UnitKind.STATIONED, "公安局"),
    ("justice", "司法", UnitKind.STATIONED, "司法局"),
    ("petition", "信访", UnitKind.STATIONED, "信访局"),
    ("hrss", "人社", UnitKind.ROTATING, "人力资源和社会保障局"),
    ("housing", "住建", UnitKind.ROTATING, "住房和城乡建设局"),
    ("health", "卫健", UnitKind.ROTATING, "卫生健康局"),
    ("market", "市场监管", UnitKind.ROTATING, "市场监督管理局"),
    ("enforcement", "综合执法", UnitKind.ROTATING, "综合行政执法局"),
    ("agriculture", "农业农村", UnitKind.ROTATING, "农业农村局"),
    ("resources", "自然资源", UnitKind.ROTATING, "自然资源局"),
    ("forestry", "林草", UnitKind.ROTATING, "林业和草原局"),
    ("union", "工会", UnitKind.ROTATING, "总工会"),
    ("women", "妇联", UnitKind.ROTATING, "妇女联合会"),
    ("medical-committee", "司法", UnitKind.MEDIATION_COMMITTEE, "医疗纠纷人民调解委员会"),
    ("traffic-committee", "司法", UnitKind.MEDIATION_COMMITTEE, "道路交通事故纠纷人民调解委员会"),
    ("family-room", "妇联", UnitKind.MEDIATION_ROOM, "婚姻家庭纠纷调解工作室"),
)
# Township centres (乡镇（街道）综治中心), named after the township.
TOWNSHIP_UNITS: tuple[tuple[str, str, UnitKind, str], ...] = (
    ("office", "综治中心", UnitKind.CENTRE_OFFICE, "综治中心受理窗口"),
    ("justice-office", "司法", UnitKind.STATIONED, "司法所"),
    ("police-station", "公安", UnitKind.STATIONED, "派出所"),
    ("committee", "司法", UnitKind.MEDIATION_COMMITTEE, "人民调解委员会"),
)
# Named mediation rooms: given to the first, second and third township of each county.
TOWNSHIP_ROOMS: tuple[tuple[str, str, UnitKind, str], ...] = (
    ("room", "司法", UnitKind.MEDIATION_ROOM, "老杨调解工作室"),
    ("room", "妇联", UnitKind.MEDIATION_ROOM, "女子调解队"),
    ("room", "司法", UnitKind.MEDIATION_ROOM, "乡贤调解工作室"),
)
VILLAGE_UNITS: tuple[tuple[str, str, UnitKind, str], ...] = (
    ("committee", "司法", UnitKind.MEDIATION_COMMITTEE, "人民调解委员会"),
)
# The first village of each township has a 法治副村长 (a police officer or judge as deputy
# village head for the rule of law) with a room of their own.
VILLAGE_ROOM = ("room", "司法", UnitKind.MEDIATION_ROOM, "法治副村长工作室")

# Which kind of account works in which kind of unit.
MEDIATOR_KINDS = frozenset({UnitKind.MEDIATION_COMMITTEE, UnitKind.MEDIATION_ROOM})


@dataclass
class Centre:
    """A centre's people and units; `clerk` is the leader at village centres."""

    place: Place
    leader: User
    clerk: User
    units: dict[str, Unit] = field(default_factory=dict)
    # One handler or mediator per unit key (the office has the clerk).
    members: dict[str, User] = field(default_factory=dict)


@dataclass
class Staff:
    centres: dict[int, Centre] = field(default_factory=dict)  # by place id
    grid_workers: dict[int, User] = field(default_factory=dict)  # by grid/micro-grid id
    analysts: dict[int, User] = field(default_factory=dict)  # by county id
    users: list[User] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.password = make_password(DEMO_PASSWORD)
        self.staff = Staff()
        # Units that serve places beyond their centre (Unit.serves), set once units have ids.
        self.serves: list[tuple[Unit, list[Place]]] = []

    def user(self, username, role, place, unit=None, **extra) -> User:
        user = User(
            username=username,
            display_name=person_name(self.rng, self.rng.random() < 0.6),
            role=role,
            place=place,
            unit=unit,
            password=self.password,
            **extra,
        )
        self.staff.users.append(user)
        return user

    def units(self, place: Place, prefix: str, specs) -> dict[str, Unit]:
        made = {}
        for key, department, kind, name in specs:
            unit = Unit(name=prefix + name, kind=kind, department=department, place=place)
            self.staff.units.append(unit)
            made[key] = unit
        return made

    def centre(self, place: Place, base: str, specs, *, with_clerk: bool = True) -> Centre:
        units = self.units(place, place.name, specs)
        leader = self.user(f"{base}-leader", Role.CENTRE_LEADER, place)
        clerk = (
            self.user(f"{base}-clerk", Role.WINDOW_CLERK, place, units.get("office"))
            if with_clerk
            else leader
        )
        centre = Centre(place=place, leader=leader, clerk=clerk, units=units)
        for key, unit in units.items():
            if key == "office":
                continue
            role = Role.MEDIATOR if unit.kind in MEDIATOR_KINDS else Role.DEPARTMENT_HANDLER
            centre.members[key] = self.user(f"{base}-{key}", role, place, unit)
        self.staff.centres[place.pk] = centre
        return centre

    def tribunal(self, centre: Centre, base: str, towns: list[Place]) -> None:
        """A people's court tribunal (人民法庭) sitting at the county centre and serving its
        first two or three townships (Unit.serves): offered for their cases only."""
        if len(towns) < 2:
            return
        served = towns[: 3 if len(towns) > 4 else 2]
        name = served[0].name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        unit = Unit(
            name=f"{centre.place.name}人民法院{name}人民法庭",
            kind=UnitKind.STATIONED,
            department="法院",
            place=centre.place,
        )
        self.staff.units.append(unit)
        self.serves.append((unit, served))
        centre.units["tribunal"] = unit
        centre.members["tribunal"] = self.user(
            f"{base}-tribunal", Role.DEPARTMENT_HANDLER, centre.place, unit
        )


def create_staff(tree: RealPlaces, seed: int = 2025) -> Staff:
    """Units and accounts for every centre of the seed tree (bulk-created)."""
    builder = _Builder(random.Random(seed))
    builder.user(
        "admin",
        Role.ADMINISTRATOR,
        tree.province,
        is_staff=True,
        is_superuser=True,
    )
    builder.user("yunnan-leader", Role.CENTRE_LEADER, tree.province)
    builder.user("yunnan-analyst", Role.ANALYST, tree.province)
    for city in tree.cities:
        slug = _city_slug(city)
        builder.user(f"{slug}-leader", Role.CENTRE_LEADER, city)
        builder.user(f"{slug}-analyst", Role.ANALYST, city)

    towns_by_county: dict[int, list[Place]] = {}
    for town in tree.townships:
        towns_by_county.setdefault(town.parent_id, []).append(town)
    villages_by_town: dict[int, list[Place]] = {}
    for village in tree.villages:
        villages_by_town.setdefault(village.parent_id, []).append(village)
    grids_by_village: dict[int, list[Place]] = {}
    for grid in tree.grids:
        grids_by_village.setdefault(grid.parent_id, []).append(grid)
    micro_by_grid: dict[int, list[Place]] = {}
    for micro in tree.microgrids:
        micro_by_grid.setdefault(micro.parent_id, []).append(micro)

    for county in tree.counties:
        county_slug = tree.slugs[county.code]
        centre = builder.centre(county, county_slug, COUNTY_UNITS)
        builder.tribunal(centre, county_slug, towns_by_county.get(county.pk, []))
        builder.staff.analysts[county.pk] = builder.user(
            f"{county_slug}-analyst", Role.ANALYST, county
        )
        for index, town in enumerate(towns_by_county.get(county.pk, [])):
            town_base = f"{county_slug}-{tree.slugs[town.code]}"
            specs = TOWNSHIP_UNITS + (
                (TOWNSHIP_ROOMS[index],) if index < len(TOWNSHIP_ROOMS) else ()
            )
            builder.centre(town, town_base, specs)
            for v_index, village in enumerate(villages_by_town.get(town.pk, [])):
                village_base = f"{town_base}-{village.code[-3:]}"
                specs = VILLAGE_UNITS + ((VILLAGE_ROOM,) if v_index == 0 else ())
                builder.centre(village, village_base, specs, with_clerk=False)
                for grid in grids_by_village.get(village.pk, []):
                    grid_base = f"{village_base}-g{int(grid.code[-2:])}"
                    builder.staff.grid_workers[grid.pk] = builder.user(
                        grid_base, Role.GRID_WORKER, grid
                    )
                    for micro in micro_by_grid.get(grid.pk, []):
                        builder.staff.grid_workers[micro.pk] = builder.user(
                            f"{grid_base}-m{int(micro.code[-2:])}", Role.GRID_WORKER, micro
                        )
    staff = builder.staff
    Unit.objects.bulk_create(staff.units, batch_size=1000)
    for unit, places in builder.serves:
        unit.serves.set(places)
    for user in staff.users:  # the unit's id is known only now
        if user.unit is not None:
            user.unit_id = user.unit.pk
    User.objects.bulk_create(staff.users, batch_size=1000)
    return staff


def _city_slug(city: Place) -> str:
    from zongzhi.demo.places_data import CITIES

    return next(c.slug for c in CITIES if c.code == city.code)
