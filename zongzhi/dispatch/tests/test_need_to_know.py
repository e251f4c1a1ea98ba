"""Who sees what: "my subtree, plus the cases I or my unit are on", and need-to-know inside an
area for department handlers and mediators. Every view and endpoint is tried."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.models import Case, CaseAttachment, CaseEvent
from zongzhi.cases.selectors import may_work_on
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import handlers
from zongzhi.places.models import Level
from zongzhi.privacy.access import reveal, reveal_case_text
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.testing.factories import PlaceFactory, UnitFactory, UserFactory, make_case

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def police(world):
    return UnitFactory(name="玉兴派出所", department="公安", place=world.east.place)


@pytest.fixture
def police_case(world, police):
    """An east case given to the police station (unit Y), with a file on it."""
    case = make_case(world.east.village, world.east.clerk, title="派出所承办的纠纷")
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    services.transition(case, Action.ASSIGN, actor=world.east.clerk, unit=police)
    services.add_attachment(case, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.east.clerk)
    return case


def page_urls(case):
    party = case.parties.first().pk
    attachment = case.attachments.first().pk
    return [
        ("get", reverse("workbench:case_detail", args=[case.pk]), {}),
        ("post", reverse("workbench:case_action", args=[case.pk]), {"action": "meet"}),
        ("post", reverse("workbench:case_reveal", args=[case.pk, party]), {}),
        ("post", reverse("workbench:case_text_reveal", args=[case.pk]), {}),
        ("post", reverse("workbench:case_comment", args=[case.pk]), {"note": "越权备注"}),
        ("post", reverse("workbench:case_risk", args=[case.pk]), {"risk": "high", "note": "x"}),
        (
            "post",
            reverse("workbench:case_attachment", args=[case.pk]),
            {"file": SimpleUploadedFile("b.pdf", PDF_BYTES)},
        ),
        ("get", reverse("workbench:attachment_download", args=[case.pk, attachment]), {}),
        ("post", reverse("dispatch:handlers_joint_part", args=[case.pk]), {"note": "x"}),
        ("post", reverse("dispatch:handlers_add_joint", args=[case.pk]), {"reason": "x"}),
        ("post", reverse("dispatch:handlers_change_lead", args=[case.pk]), {"reason": "x"}),
        ("post", reverse("dispatch:handlers_remove_joint", args=[case.pk]), {"assignment": 1}),
    ]


def api_urls(case):
    base = f"/api/v1/cases/{case.pk}"
    return [
        ("get", base, {}),
        ("get", f"{base}/timeline", {}),
        ("get", f"{base}/actions", {}),
        ("get", f"{base}/handlers", {}),
        ("post", f"{base}/text/reveal", {}),
        ("post", f"{base}/transitions", {"action": "meet"}),
        ("post", f"{base}/handlers/joint-part", {"note": "x"}),
        ("post", f"{base}/handlers/joint", {"reason": "x"}),
        ("post", f"{base}/handlers/lead", {"reason": "x"}),
        ("post", f"{base}/handlers/joint/1/remove", {"reason": "x"}),
    ]


def snapshot(case):
    case.refresh_from_db()
    return (
        case.status,
        case.risk,
        CaseEvent.objects.filter(case=case).count(),
        CaseAttachment.objects.filter(case=case).count(),
        case.assignments.count(),
    )


@pytest.mark.parametrize("index", range(12))
def test_handler_of_another_unit_gets_404_on_every_page(world, login, police_case, index):
    method, url, data = page_urls(police_case)[index]
    before = snapshot(police_case)
    response = getattr(login(world.east.handler), method)(url, data)
    assert response.status_code == 404
    assert snapshot(police_case) == before
    assert not PersonalDataAccess.objects.filter(viewer=world.east.handler).exists()


@pytest.mark.parametrize("index", range(10))
def test_handler_of_another_unit_gets_404_on_every_endpoint(
    world, token_client, police_case, index
):
    method, url, data = api_urls(police_case)[index]
    before = snapshot(police_case)
    api = token_client(world.east.handler)
    response = getattr(api, method)(url, data, content_type="application/json")
    assert response.status_code == 404, response.content
    assert snapshot(police_case) == before
    assert not PersonalDataAccess.objects.filter(viewer=world.east.handler).exists()


def test_case_of_another_unit_is_not_listed_for_the_handler(
    world, login, token_client, police_case
):
    own = make_case(world.east.village, world.east.clerk, title="司法所承办的纠纷")
    services.transition(own, Action.ACCEPT, actor=world.east.clerk)
    services.transition(own, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    queue = login(world.east.handler).get(reverse("workbench:queue"))
    assert list(queue.context["page"].object_list) == [own]
    html = queue.content.decode()
    assert police_case.number not in html and "派出所承办的纠纷" not in html
    listed = token_client(world.east.handler).get("/api/v1/cases").json()
    assert [item["id"] for item in listed["items"]] == [own.pk]
    # Leaders and clerks of the area still see both.
    leader_queue = login(world.east.leader).get(reverse("workbench:queue"))
    assert set(leader_queue.context["page"].object_list) == {own, police_case}


def test_privacy_functions_refuse_the_handler_of_another_unit(world, police_case):
    party = police_case.parties.first()
    with pytest.raises(PermissionDenied):
        reveal(
            world.east.handler, party, ["name"], place_path=police_case.place_path, case=police_case
        )
    with pytest.raises(PermissionDenied):
        reveal_case_text(world.east.handler, police_case)
    assert not PersonalDataAccess.objects.exists()


def test_handler_may_work_on_the_case_once_added_as_joint(world, login, police_case):
    handlers.add_joint(police_case, actor=world.east.leader, unit=world.east.unit, reason="配合")
    client = login(world.east.handler)
    assert client.get(reverse("workbench:case_detail", args=[police_case.pk])).status_code == 200
    party = police_case.parties.first().pk
    revealed = client.post(reverse("workbench:case_reveal", args=[police_case.pk, party]))
    assert revealed.status_code == 200 and "13812345678" in revealed.content.decode()
    client.post(reverse("workbench:case_comment", args=[police_case.pk]), {"note": "配合走访"})
    assert CaseEvent.objects.filter(case=police_case, kind="comment").exists()
    client.post(
        reverse("workbench:case_attachment", args=[police_case.pk]),
        {"file": SimpleUploadedFile("c.pdf", PDF_BYTES)},
    )
    assert police_case.attachments.count() == 2
    attachment = police_case.attachments.first().pk
    download = client.get(
        reverse("workbench:attachment_download", args=[police_case.pk, attachment])
    )
    assert download.status_code == 200


def test_a_past_assignment_keeps_the_case_visible(world, police, police_case):
    officer = UserFactory(
        username="officer", role=Role.DEPARTMENT_HANDLER, place=world.east.place, unit=police
    )
    handlers.change_lead(police_case, actor=world.east.leader, unit=world.east.unit, reason="x")
    assert may_work_on(officer, police_case)
    assert may_work_on(world.east.handler, police_case)


def test_mediator_sees_the_cases_they_registered_only(world, login):
    mediator = UserFactory(username="mediator", role=Role.MEDIATOR, place=world.east.place)
    other = UserFactory(username="mediator2", role=Role.MEDIATOR, place=world.east.place)
    case = make_case(world.east.village, mediator)
    url = reverse("workbench:case_detail", args=[case.pk])
    assert login(mediator).get(url).status_code == 200
    assert login(other).get(url).status_code == 404


def test_unit_in_another_county_serving_nothing_sees_nothing(
    world, login, token_client, police_case
):
    county = PlaceFactory(code="530421", name="江川区", level=Level.COUNTY, parent=world.city)
    unit = UnitFactory(name="江川区司法局", place=county)
    outsider = UserFactory(
        username="jiangchuan", role=Role.DEPARTMENT_HANDLER, place=county, unit=unit
    )
    assert not Case.objects.visible_to(outsider).exists()
    assert not Case.objects.workable_by(outsider).exists()
    client = login(outsider)
    assert list(client.get(reverse("workbench:queue")).context["page"].object_list) == []
    url = reverse("workbench:case_detail", args=[police_case.pk])
    assert client.get(url).status_code == 404
    assert token_client(outsider).get("/api/v1/cases").json()["count"] == 0


def test_handler_whose_unit_serves_another_township_sees_the_cases_it_is_on(
    world, login, token_client
):
    world.west.unit.serves.set([world.west.place, world.east.place])
    on = make_case(world.east.village, world.east.clerk, title="跨镇承办")
    services.transition(on, Action.ACCEPT, actor=world.east.clerk)
    services.transition(on, Action.ASSIGN, actor=world.east.clerk, unit=world.west.unit)
    off = make_case(world.east.village, world.east.clerk, title="与本单位无关")
    handler = world.west.handler
    assert set(Case.objects.visible_to(handler)) == {on}
    client = login(handler)
    assert list(client.get(reverse("workbench:queue")).context["page"].object_list) == [on]
    assert client.get(reverse("workbench:case_detail", args=[on.pk])).status_code == 200
    assert client.get(reverse("workbench:case_detail", args=[off.pk])).status_code == 404
    api = token_client(handler)
    assert api.get(f"/api/v1/cases/{on.pk}").status_code == 200
    assert api.get(f"/api/v1/cases/{off.pk}").status_code == 404
    # The lead works it: meets the parties from another township.
    response = api.post(
        f"/api/v1/cases/{on.pk}/transitions", {"action": "meet"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    # Being on a case opens that case only: the west leader (no unit) still sees none of them.
    assert not Case.objects.visible_to(world.west.leader).filter(pk__in=[on.pk, off.pk]).exists()


def test_leaders_clerks_analysts_and_grid_workers_keep_their_subtree(world, police_case):
    for user in (world.east.leader, world.east.clerk, world.analyst, world.county_leader):
        assert may_work_on(user, police_case)
    assert not may_work_on(world.east.grid_worker, police_case)  # the case is not in the grid
    assert not may_work_on(world.west.clerk, police_case)
