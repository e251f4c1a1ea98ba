"""Names of places that can be told apart: "玉兴街道·玉兴社区·第1网格" rather than "第1网格".

A place is named by the names on its path below the viewer's node, so a township clerk reads
"玉兴社区·第1网格" and a county leader "玉兴街道·玉兴社区·第1网格". Never above the county: a
city or province viewer reads "红塔区·玉兴街道·…". The names come from the materialised path
(codes) with one query for a whole list.
"""

from collections.abc import Iterable

from zongzhi.places.models import Level, Place

SEPARATOR = "·"


def _codes_below(place: Place, relative_to: Place | None) -> list[str]:
    """The codes on `place`'s path below the viewer's node (all of them when outside it)."""
    codes = place.ancestor_codes
    if relative_to is not None and place.path.startswith(relative_to.path):
        return codes[len(relative_to.ancestor_codes) :] or codes[-1:]
    return codes


def short_paths(places: Iterable[Place], relative_to: Place | None = None) -> dict[str, str]:
    """The short path of each place, keyed by its `path`; one query for all of them."""
    places = list(places)
    wanted = {place.path: _codes_below(place, relative_to) for place in places}
    own_names = {place.path: place.name for place in places}
    needed = {code for codes in wanted.values() for code in codes}
    found = Place.objects.filter(code__in=needed).values_list("code", "name", "level")
    names = {code: name for code, name, level in found if level >= Level.COUNTY}
    labels = {}
    for path, codes in wanted.items():
        parts = [names[code] for code in codes if code in names]
        # A place above the county (never a case's) is named by itself.
        labels[path] = SEPARATOR.join(parts) or own_names[path]
    return labels


def short_path(place: Place, relative_to: Place | None = None) -> str:
    """ "玉兴街道·玉兴社区·第1网格": `place` named from below the viewer's node `relative_to`
    (from the county when None, or when the place lies outside that node)."""
    return short_paths([place], relative_to)[place.path]


def label_places(items: Iterable, relative_to: Place | None, attr: str = "place") -> list:
    """Set `place_label` on each item (a case, a user…) from its `attr` place; one query.

    Returns the items as a list, so a queryset is evaluated once.
    """
    items = list(items)
    places = [getattr(item, attr) for item in items if getattr(item, attr) is not None]
    labels = short_paths(places, relative_to)
    for item in items:
        place = getattr(item, attr)
        item.place_label = labels[place.path] if place is not None else ""
    return items
