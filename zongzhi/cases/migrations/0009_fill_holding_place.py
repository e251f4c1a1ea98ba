"""Give every existing case its holding centre (dispatch.centres.initial_holding_centre,
frozen here): the registering staff member's centre when the place lies in their area, else
the township of the place (or the place itself at county level and above). Concluded cases
record that centre and its level as the one that held them when they were concluded."""

from collections import defaultdict

from django.db import migrations

CITY, COUNTY, TOWNSHIP, VILLAGE = 2, 3, 4, 5


def fill(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    Case = apps.get_model("cases", "Case")
    User = apps.get_model("accounts", "User")
    places = {p[0]: p for p in Place.objects.values_list("id", "path", "level", "parent_id")}
    user_place = dict(User.objects.exclude(place=None).values_list("id", "place_id"))

    def nearest_centre(pid):
        while places[pid][2] > VILLAGE and places[pid][3] is not None:
            pid = places[pid][3]
        return pid

    def township_or_self(pid):
        node = pid
        while node is not None and places[node][2] > TOWNSHIP:
            node = places[node][3]
        if node is not None and places[node][2] == TOWNSHIP:
            return node
        return nearest_centre(pid)

    holding = defaultdict(list)
    concluded = defaultdict(list)
    rows = Case.objects.values_list("id", "place_id", "created_by_id", "concluded_at")
    for case_id, place_id, creator_id, concluded_at in rows.iterator(chunk_size=2000):
        node = user_place.get(creator_id)
        if node is not None and places[place_id][1].startswith(places[node][1]):
            centre = nearest_centre(node)
        else:
            centre = township_or_self(place_id)
        holding[centre].append(case_id)
        if concluded_at is not None:
            concluded[centre].append(case_id)
    for centre, ids in holding.items():
        for start in range(0, len(ids), 1000):
            Case.objects.filter(pk__in=ids[start : start + 1000]).update(holding_place_id=centre)
    for centre, ids in concluded.items():
        for start in range(0, len(ids), 1000):
            Case.objects.filter(pk__in=ids[start : start + 1000]).update(
                concluded_holding_place_id=centre, concluded_level=places[centre][2]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_dispatch_fields"),
        ("cases", "0008_dispatch_fields"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
