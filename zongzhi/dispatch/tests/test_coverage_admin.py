"""The 包保 table in the admin: listed, added with its checks."""

from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.dispatch.models import Coverage
from zongzhi.testing.factories import CoverageFactory, UserFactory


def test_the_admin_lists_and_adds_coverage_with_checks(world, client):
    admin = UserFactory(
        username="root", role=Role.ADMINISTRATOR, place=world.city, is_staff=True, is_superuser=True
    )
    CoverageFactory(cadre=world.county_leader, place=world.east.place, title="县委常委")
    client.force_login(admin)
    listing = client.get(reverse("admin:dispatch_coverage_changelist")).content.decode()
    assert "县委常委" in listing
    url = reverse("admin:dispatch_coverage_add")
    data = {
        "cadre": world.county_leader.pk,
        "title": "副县长",
        "kind": "county_leader",
        "place": world.east.village.pk,
        "label": "",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "包保地点应为" in response.content.decode()
    data["place"] = world.west.place.pk
    assert client.post(url, data).status_code == 302
    assert Coverage.objects.filter(title="副县长", place=world.west.place).exists()
