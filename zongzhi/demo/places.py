"""Build place trees fast: the real seed places (demo) and a synthetic province (benchmarks).

Both use bulk_create level by level. bulk_create skips `Place.save()`, so the materialised
path is computed here the same way: the parent's path, the code, and '/'.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from zongzhi.demo.places_data import CITIES, COMMUNITY_STEMS, PROVINCE, VILLAGE_STEMS
from zongzhi.places.models import Level, Place

BATCH_SIZE = 2000


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _jitter(rng: random.Random, lat: float, lng: float, spread: float) -> tuple[float, float]:
    return lat + rng.uniform(-spread, spread), lng + rng.uniform(-spread, spread)


def _node(code, name, level, parent: Place | None, lat=None, lng=None) -> Place:
    return Place(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=(parent.path if parent else "") + code + "/",
        latitude=None if lat is None else _coordinate(lat),
        longitude=None if lng is None else _coordinate(lng),
    )


def _insert(nodes: list[Place]) -> list[Place]:
    """bulk_create and make sure every node has its primary key (for the next level)."""
    Place.objects.bulk_create(nodes, batch_size=BATCH_SIZE)
    missing = [n for n in nodes if n.pk is None]
    if missing:  # a database that cannot return ids from a bulk insert
        ids = dict(
            Place.objects.filter(code__in=[n.code for n in missing]).values_list("code", "id")
        )
        for node in missing:
            node.pk = node.id = ids[node.code]
    return nodes


@dataclass
class RealPlaces:
    """The loaded seed tree, by level, for the demo loader to pick from."""

    province: Place
    cities: list[Place] = field(default_factory=list)
    counties: list[Place] = field(default_factory=list)
    townships: list[Place] = field(default_factory=list)
    villages: list[Place] = field(default_factory=list)
    grids: list[Place] = field(default_factory=list)
    microgrids: list[Place] = field(default_factory=list)
    # County code → pinyin slug, township code → slug (for demo usernames).
    slugs: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return 1 + sum(
            len(x)
            for x in (
                self.cities,
                self.counties,
                self.townships,
                self.villages,
                self.grids,
                self.microgrids,
            )
        )


def _village_names(rng: random.Random, township_name: str, count: int) -> list[tuple[str, bool]]:
    """(name, is_community) for the villages of a township: streets have communities,
    towns one community at the seat and villages around it, 乡 only villages."""
    if township_name.endswith("街道"):
        communities = count if rng.random() < 0.6 else count - 1
    elif township_name.endswith("镇"):
        communities = 1
    else:
        communities = 0
    names = []
    for stem in rng.sample(COMMUNITY_STEMS, communities):
        names.append((stem + "社区", True))
    for stem in rng.sample(VILLAGE_STEMS, count - communities):
        names.append((stem + "村", False))
    return names


@transaction.atomic
def load_real_places(seed: int = 2025) -> RealPlaces:
    """Create the seed places (云南省 → cities → counties → townships → villages → grids).

    Idempotent: when the province exists the existing tree is read back instead.
    """
    rng = random.Random(seed)
    code, name, lat, lng = PROVINCE
    existing = Place.objects.filter(code=code).first()
    if existing is not None:
        return _read_back(existing)
    province = _insert([_node(code, name, Level.PROVINCE, None, lat, lng)])[0]
    tree = RealPlaces(province=province)

    cities = [_node(c.code, c.name, Level.CITY, province, c.latitude, c.longitude) for c in CITIES]
    tree.cities = _insert(cities)
    counties, county_data = [], []
    for city, data in zip(tree.cities, CITIES, strict=True):
        for county in data.counties:
            counties.append(
                _node(
                    county.code, county.name, Level.COUNTY, city, county.latitude, county.longitude
                )
            )
            county_data.append(county)
            tree.slugs[county.code] = county.slug
    tree.counties = _insert(counties)

    townships = []
    for county, data in zip(tree.counties, county_data, strict=True):
        for town in data.townships:
            t_lat, t_lng = _jitter(rng, data.latitude, data.longitude, 0.12)
            townships.append(
                _node(county.code + town.suffix, town.name, Level.TOWNSHIP, county, t_lat, t_lng)
            )
            tree.slugs[county.code + town.suffix] = town.slug
    tree.townships = _insert(townships)

    villages = []
    for town in tree.townships:
        count = rng.randint(3, 5)
        communities = villages_seen = 0
        for village_name, is_community in _village_names(rng, town.name, count):
            if is_community:
                communities += 1
                suffix = f"{communities:03d}"
            else:
                villages_seen += 1
                suffix = f"{200 + villages_seen:03d}"
            v_lat, v_lng = _jitter(rng, float(town.latitude), float(town.longitude), 0.04)
            villages.append(
                _node(town.code + suffix, village_name, Level.VILLAGE, town, v_lat, v_lng)
            )
    tree.villages = _insert(villages)

    grids = []
    for village in tree.villages:
        for number in range(1, rng.randint(2, 4) + 1):
            g_lat, g_lng = _jitter(rng, float(village.latitude), float(village.longitude), 0.008)
            grids.append(
                _node(
                    f"{village.code}-{number:02d}",
                    f"第{number}网格",
                    Level.GRID,
                    village,
                    g_lat,
                    g_lng,
                )
            )
    tree.grids = _insert(grids)

    # A couple of micro-grids (微网格, e.g. one per apartment block or hamlet) in the first
    # grid of each county's first two villages.
    microgrids = []
    first_grids = [g for g in tree.grids if g.code.endswith("-01")]
    by_county: dict[str, list[Place]] = {}
    for grid in first_grids:
        by_county.setdefault(grid.code[:6], []).append(grid)
    for grids_of_county in by_county.values():
        for grid in grids_of_county[:2]:
            for number in (1, 2):
                m_lat, m_lng = _jitter(rng, float(grid.latitude), float(grid.longitude), 0.002)
                microgrids.append(
                    _node(
                        f"{grid.code}-{number:02d}",
                        f"第{number}微网格",
                        Level.MICROGRID,
                        grid,
                        m_lat,
                        m_lng,
                    )
                )
    tree.microgrids = _insert(microgrids)
    return tree


def _read_back(province: Place) -> RealPlaces:
    tree = RealPlaces(province=province)
    by_level = {
        Level.CITY: tree.cities,
        Level.COUNTY: tree.counties,
        Level.TOWNSHIP: tree.townships,
        Level.VILLAGE: tree.villages,
        Level.GRID: tree.grids,
        Level.MICROGRID: tree.microgrids,
    }
    for place in Place.objects.under(province, include_self=False).order_by("path"):
        by_level[Level(place.level)].append(place)
    for city in CITIES:
        for county in city.counties:
            tree.slugs[county.code] = county.slug
            for town in county.townships:
                tree.slugs[county.code + town.suffix] = town.slug
    return tree


# --- the synthetic province -------------------------------------------------------------

_SYLLABLES = (
    "青", "云", "龙", "凤", "金", "石", "松", "河", "安", "平", "和", "兴", "宁", "华", "新",
    "东", "西", "南", "北", "永", "昌", "盛", "泉", "江", "山", "林", "源", "丰", "乐", "阳",
)  # fmt: skip


def _synthetic_name(rng: random.Random, suffix: str) -> str:
    return rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + suffix


@dataclass
class GeneratedProvince:
    province: Place
    counts: dict[Level, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def generate_province(
    cities: int = 16,
    counties: int = 8,
    townships: int = 10,
    villages: int = 10,
    grids: int = 3,
    *,
    code: str = "990000",
    name: str = "模拟省",
    seed: int = 1,
    progress=None,
) -> GeneratedProvince:
    """A synthetic province-sized tree (default 16 × 8 × 10 × 10 × 3: about 52,000 nodes).

    Codes follow the real pattern under a two-digit province prefix (default 99, which no
    real province uses): 99CC00 cities, 99CCNN counties, +3 digits townships, +3 villages,
    '-NN' grids. `progress`, if given, is called with a short message per level.
    """
    if not (len(code) == 6 and code.endswith("0000") and code.isdigit()):
        raise ValueError("province code must look like 'NN0000'")
    if cities > 99 or counties > 99 or townships > 999 or villages > 999 or grids > 99:
        raise ValueError("too many children for the code pattern")
    rng = random.Random(seed)
    prefix = code[:2]
    say = progress or (lambda message: None)
    counts: dict[Level, int] = {}
    with transaction.atomic():
        province = _insert([_node(code, name, Level.PROVINCE, None, 25.0, 102.0)])[0]
        counts[Level.PROVINCE] = 1

        def level(parents: Iterable[Place], make) -> list[Place]:
            nodes: list[Place] = []
            for parent in parents:
                nodes.extend(make(parent))
            return _insert(nodes)

        def jittered(parent: Place, spread: float) -> tuple[float, float]:
            return _jitter(rng, float(parent.latitude), float(parent.longitude), spread)

        city_nodes = level(
            [province],
            lambda p: [
                _node(
                    f"{prefix}{c:02d}00",
                    _synthetic_name(rng, "市"),
                    Level.CITY,
                    p,
                    *jittered(p, 2.0),
                )
                for c in range(1, cities + 1)
            ],
        )
        counts[Level.CITY] = len(city_nodes)
        county_nodes = level(
            city_nodes,
            lambda p: [
                _node(
                    f"{p.code[:4]}{c:02d}",
                    _synthetic_name(rng, "县"),
                    Level.COUNTY,
                    p,
                    *jittered(p, 0.5),
                )
                for c in range(1, counties + 1)
            ],
        )
        counts[Level.COUNTY] = len(county_nodes)
        say(f"{len(county_nodes)} counties")
        town_nodes = level(
            county_nodes,
            lambda p: [
                _node(
                    f"{p.code}{100 + t:03d}",
                    _synthetic_name(rng, "镇"),
                    Level.TOWNSHIP,
                    p,
                    *jittered(p, 0.15),
                )
                for t in range(1, townships + 1)
            ],
        )
        counts[Level.TOWNSHIP] = len(town_nodes)
        say(f"{len(town_nodes)} townships")
        village_nodes = level(
            town_nodes,
            lambda p: [
                _node(
                    f"{p.code}{200 + v:03d}",
                    _synthetic_name(rng, "村"),
                    Level.VILLAGE,
                    p,
                    *jittered(p, 0.04),
                )
                for v in range(1, villages + 1)
            ],
        )
        counts[Level.VILLAGE] = len(village_nodes)
        say(f"{len(village_nodes)} villages")
        grid_nodes = level(
            village_nodes,
            lambda p: [
                _node(f"{p.code}-{g:02d}", f"第{g}网格", Level.GRID, p, *jittered(p, 0.008))
                for g in range(1, grids + 1)
            ],
        )
        counts[Level.GRID] = len(grid_nodes)
        say(f"{len(grid_nodes)} grids")
    return GeneratedProvince(province=province, counts=counts)
