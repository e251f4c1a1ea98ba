"""Centres: which node's centre holds a case.

Centres sit at four levels (市 → 县 → 乡 → 村); grids and micro-grids have none. A case's
holding centre (`Case.holding_place`) is the node whose centre owns the work, apart from the
place where the dispute happened. Moves between centres are in `dispatch.moves`.
"""

from zongzhi.places.models import Level, Place

CENTRE_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def is_centre(place: Place) -> bool:
    """Whether `place` has a centre of its own (city, county, township or village)."""
    return place.level in CENTRE_LEVELS


def centre_at_level(place: Place, level: Level) -> Place | None:
    """The ancestor-or-self of `place` at `level`, or None (e.g. a village for a county)."""
    node = place
    while node is not None and node.level > level:
        node = node.parent
    return node if node is not None and node.level == level else None


def nearest_centre(place: Place) -> Place:
    """`place` itself when it has a centre, else the nearest ancestor that has one (a grid's
    village)."""
    node = place
    while node.level not in CENTRE_LEVELS and node.parent is not None:
        node = node.parent
    return node


def parent_centre(place: Place) -> Place | None:
    """The nearest centre above `place`, or None at the top (a city's parent has none)."""
    node = place.parent
    while node is not None and not is_centre(node):
        node = node.parent
    return node


def initial_holding_centre(place: Place, actor) -> Place:
    """The centre that holds a case when it is registered.

    A staff member registers for their own centre (a township clerk's walk-in is the
    township's until it is routed elsewhere); a grid worker's report belongs to the village
    of the grid. A citizen's own report, and an interface's, goes to the township of the
    place (the level that takes in reports from its villages), or to the place's own centre
    when it lies at county level or above.
    """
    node = getattr(actor, "place", None) if actor is not None else None
    if node is not None and place.path.startswith(node.path):
        return nearest_centre(node)
    return centre_at_level(place, Level.TOWNSHIP) or nearest_centre(place)
