"""A west-township clerk must not reach an east-township case through any workbench URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zongzhi.cases.models import CaseAttachment, CaseEvent
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.testing.factories import make_case, party

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def east_attachment(world, east_case):
    from zongzhi.cases import services

    return services.add_attachment(
        east_case, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.east.clerk
    )


def case_urls(case, attachment):
    party_pk = case.parties.first().pk
    return [
        ("get", reverse("workbench:case_detail", args=[case.pk]), {}),
        ("post", reverse("workbench:case_action", args=[case.pk]), {"action": "accept"}),
        ("post", reverse("workbench:case_reveal", args=[case.pk, party_pk]), {}),
        ("post", reverse("workbench:case_comment", args=[case.pk]), {"note": "越权备注"}),
        ("post", reverse("workbench:case_risk", args=[case.pk]), {"risk": "high", "note": "x"}),
        (
            "post",
            reverse("workbench:case_attachment", args=[case.pk]),
            {"file": SimpleUploadedFile("b.pdf", PDF_BYTES)},
        ),
        ("get", reverse("workbench:attachment_download", args=[case.pk, attachment.pk]), {}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_west_clerk_gets_404_on_every_east_case_url(
    world, login, east_case, east_attachment, index
):
    method, url, data = case_urls(east_case, east_attachment)[index]
    client = login(world.west.clerk)
    response = getattr(client, method)(url, data)
    assert response.status_code == 404
    # Nothing changed, nothing was read.
    assert CaseEvent.objects.filter(case=east_case).count() == 2  # created + attachment
    assert CaseAttachment.objects.count() == 1
    assert not PersonalDataAccess.objects.exists()
    east_case.refresh_from_db()
    assert east_case.status == "report" and east_case.risk == "low"


def test_grid_worker_cannot_reach_a_village_case_outside_their_grid(world, login):
    case = make_case(world.east.village, world.east.clerk)
    url = reverse("workbench:case_detail", args=[case.pk])
    assert login(world.east.grid_worker).get(url).status_code == 404


def test_east_case_never_appears_in_the_west_queue_or_search(world, login):
    east = make_case(
        world.east.village, world.east.clerk, title="东边的纠纷", parties=[party(name="赵六")]
    )
    west = make_case(world.west.village, world.west.clerk, title="西边的纠纷")
    client = login(world.west.clerk)
    queue = reverse("workbench:queue")
    for params in ({}, {"q": east.number}, {"q": "东边"}, {"q": "赵六"}, {"status": "report"}):
        response = client.get(queue, params)
        assert east not in response.context["page"].object_list
        assert reverse("workbench:case_detail", args=[east.pk]) not in response.content.decode()
        assert "东边的纠纷" not in response.content.decode()
    assert set(client.get(queue).context["page"].object_list) == {west}
    home = client.get(reverse("workbench:home"))
    assert east not in home.context["todo"]
    assert home.context["total"] == 1
