"""Reading the 包保 table (dispatch.models.Coverage): who covers a place, of which kind, and
what a cadre covers. Every reader of the table goes through here: 一案三交 (the three
responsible people of a township), the scoping rule (a 包保 leader sees the cases of the
places they cover), the supervision cards ("a 包保 leader may issue a card") and the ledgers.

A row covers its place's whole subtree on the days from `starts_on` to `ends_on` (open when
empty). A labelled row (a villagers' group or a household named by a label) covers only what
its label names, never the whole place: it answers `covering_cadres(place, label=...)` but
gives no sight of the place's cases.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.clock.calendar import local_date
from zongzhi.dispatch.models.coverage import Coverage, CoverKind
from zongzhi.places.models import Level, Place


def _today() -> date:
    return local_date(timezone.now())


def active_q(on: date | None = None, prefix: str = "") -> Q:
    """Rows in force on `on` (today by default)."""
    on = on or _today()
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def coverage_rows(
    *, place: Place | None = None, cadre=None, kind: str | None = None, on: date | None = None
) -> QuerySet[Coverage]:
    """The table's rows, filtered: rows covering `place` (on it or an ancestor, labelled rows
    included), rows of `cadre`, of `kind`, in force on `on` (all periods when None)."""
    rows = Coverage.objects.select_related("cadre", "place")
    if place is not None:
        rows = rows.filter(place__code__in=place.ancestor_codes)
    if cadre is not None:
        rows = rows.filter(cadre=cadre)
    if kind:
        rows = rows.filter(kind=kind)
    if on is not None:
        rows = rows.filter(active_q(on))
    return rows.order_by("place__level", "kind", "starts_on", "id")


def covering_cadres(
    place: Place, kind: str | None = None, *, label: str = "", on: date | None = None
) -> list[Coverage]:
    """Who covers `place` today (or on `on`), nearest place first, optionally of one `kind`:
    the rows on the place or an ancestor whose cadre is active. Labelled rows count only when
    asked for by their `label` (a household's cadre covers that household, not the village)."""
    rows = coverage_rows(place=place, kind=kind, on=on or _today()).filter(cadre__is_active=True)
    rows = rows.filter(Q(label="") | Q(label=label)) if label else rows.filter(label="")
    return sorted(rows, key=lambda row: (-row.place.level, row.kind, row.starts_on, row.pk))


def covers(user, place: Place, *, on: date | None = None) -> bool:
    """Whether `user` covers `place` (any kind, unlabelled rows) today or on `on`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Coverage.objects.filter(
        active_q(on), cadre=user, label="", place__code__in=place.ancestor_codes
    ).exists()


def covered_paths(user, *, on: date | None = None) -> list[str]:
    """The paths of the places `user` covers today, whole (unlabelled rows): their subtrees
    join the user's area in the one scoping rule (cases.selectors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    # No ORDER BY (the model's ordering joins every place): a probe of the cadre's index.
    rows = Coverage.objects.filter(active_q(on), cadre_id=user.pk, label="").order_by()
    return sorted(set(rows.values_list("place__path", flat=True)))


# The township-level kinds of 一案三交: who must take a key case of a township.
THREE_KINDS = (
    CoverKind.COUNTY_LEADER,
    CoverKind.PARTY_SECRETARY,
    CoverKind.GOVERNMENT_HEAD,
    CoverKind.POLITICAL_LEGAL,
)


@dataclass
class ThreePeople:
    """The three responsible people of a township (the party secretary and the head count as
    one, 属地党政主要负责人): one row per kind found, and the kinds nobody covers."""

    township: Place | None
    found: dict[str, Coverage] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def three_people(place: Place, *, on: date | None = None) -> ThreePeople:
    """For a case at `place`: the county leader covering its township, the township's party
    secretary and head, and the political-legal unit leader covering it (the first row of each
    kind in force, by start date). A place above a township has none of them: all missing."""
    township = place.ancestor_at(Level.TOWNSHIP)
    result = ThreePeople(township=township)
    rows: dict[str, Coverage] = {}
    if township is not None:
        query = coverage_rows(on=on or _today()).filter(
            place=township, kind__in=THREE_KINDS, label="", cadre__is_active=True
        )
        for row in query:
            rows.setdefault(row.kind, row)
    for kind in THREE_KINDS:
        if kind in rows:
            result.found[kind] = rows[kind]
        else:
            result.missing.append(kind)
    return result
