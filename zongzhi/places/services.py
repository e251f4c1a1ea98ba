"""The one way to re-code or move a place: re-path it, its subtree and its cases together.

A place's `path` is copied into every descendant's path and into every case's `place_path`
(and the county into `Case.county`), because scoping reads those columns, not the tree. So a
place's code or parent is never changed by saving it (`Place.save` refuses): these functions
rewrite every copy in one transaction with a few bulk UPDATEs (the old path prefix replaced
by the new one in SQL), so no clerk loses sight of a case, even for a moment.

Left as they were, on purpose: `CaseEvent.place_path` and `PersonalDataAccess.place_path`
record where a case stood when the event or the read happened; both are immutable records.
Attachment files keep the folder they were stored in (their names are stored, not derived).
"""

import re

from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr

from zongzhi.places.models import Level, Place

CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]*$")
PATH_MAX_LENGTH = Place._meta.get_field("path").max_length


class PlaceChangeRefused(ValueError):
    """A re-code or move that would break the tree; the message is for the user (Chinese)."""


def change_code(place: Place, new_code: str) -> Place:
    """Give `place` a new code and re-path it, its descendants and their cases.

    Used when divisions are re-organised (区划调整) and a node keeps its identity under a new
    official code. Refused, changing nothing, when the code is malformed or already taken.
    Returns the place as stored afterwards.
    """
    new_code = (new_code or "").strip()
    if not CODE_PATTERN.match(new_code) or len(new_code) > Place._meta.get_field("code").max_length:
        raise PlaceChangeRefused("区划代码只能由字母、数字和“-”组成，且不超过20个字符")
    with transaction.atomic():
        place = _locked(place)
        if new_code == place.code:
            return place
        if Place.objects.filter(code=new_code).exists():
            raise PlaceChangeRefused(f"区划代码 {new_code} 已被使用")
        parent_path = place.path[: -len(place.code) - 1]
        Place.objects.filter(pk=place.pk).update(code=new_code)
        _repath(place.path, parent_path + new_code + "/")
        return Place.objects.get(pk=place.pk)


def move(place: Place, new_parent: Place | None) -> Place:
    """Put `place` (with its subtree) under `new_parent`, re-pathing it and its cases.

    The new parent must sit above the place's level and outside its subtree; a place below
    county level must stay under a county, and its cases move to that county (their numbers,
    given by the old county, stay as they are). Returns the place as stored afterwards.
    """
    with transaction.atomic():
        place = _locked(place)
        if new_parent is not None:
            new_parent = Place.objects.get(pk=new_parent.pk)
        if (new_parent.pk if new_parent else None) == place.parent_id:
            return place
        if new_parent is not None and place.contains(new_parent):
            raise PlaceChangeRefused("不能把地点移到它自己或它的下级之下")
        if new_parent is not None and new_parent.level >= place.level:
            raise PlaceChangeRefused("新的上级必须比该地点高一级或以上")
        new_county = None
        if place.level > Level.COUNTY:
            new_county = new_parent.ancestor_at(Level.COUNTY) if new_parent else None
            if new_county is None:
                raise PlaceChangeRefused("县级以下的地点必须位于某个县（市、区）之下")
        Place.objects.filter(pk=place.pk).update(parent=new_parent)
        new_path = (new_parent.path if new_parent else "") + place.code + "/"
        _repath(place.path, new_path, new_county=new_county)
        return Place.objects.get(pk=place.pk)


def _locked(place: Place) -> Place:
    # One re-path at a time per node: a second admin's change waits and then sees the new path.
    return Place.objects.select_for_update().get(pk=place.pk)


def _repath(old_prefix: str, new_prefix: str, *, new_county: Place | None = None) -> None:
    """Replace the path prefix `old_prefix` by `new_prefix` everywhere it is stored."""
    from zongzhi.cases.models import Case

    grow = len(new_prefix) - len(old_prefix)
    if grow > 0:
        longest = Place.objects.filter(path__under=old_prefix).aggregate(n=Max(Length("path")))
        if (longest["n"] or 0) + grow > PATH_MAX_LENGTH:
            raise PlaceChangeRefused("调整后下级地点的路径过长，请缩短区划代码")
    # The path stays a unique column: no new path can collide with an old one, because the
    # new prefix ends in a code that no other node holds.
    Place.objects.filter(path__under=old_prefix).update(
        path=_replaced("path", old_prefix, new_prefix)
    )
    cases = Case.objects.filter(place_path__under=old_prefix)
    changes = {"place_path": _replaced("place_path", old_prefix, new_prefix)}
    if new_county is not None:
        changes["county"] = new_county
    cases.update(**changes)


def _replaced(column: str, old_prefix: str, new_prefix: str) -> Concat:
    """SQL for `column` with its leading `old_prefix` swapped for `new_prefix`."""
    return Concat(Value(new_prefix), Substr(F(column), len(old_prefix) + 1))


def repair_case_places() -> int:
    """Re-copy the path and county into every case that disagrees with its place.

    A case registered in the instant a place above it is re-coded or moved can be written
    with the path read just before: the periodic job `repair_case_places` puts it right.
    Returns how many cases were repaired.
    """
    from zongzhi.cases.models import Case

    repaired = 0
    stale_places = Case.objects.exclude(place_path=F("place__path")).values("place_id")
    for place in Place.objects.filter(pk__in=stale_places):
        changes = {"place_path": place.path}
        county = place.ancestor_at(Level.COUNTY)
        if county is not None:  # cases are only registered at or below a county
            changes["county"] = county
        repaired += (
            Case.objects.filter(place=place).exclude(place_path=place.path).update(**changes)
        )
    return repaired
