"""The routing panel of the case page and the admin's rule pages (试运行)."""

import pytest
from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.workflow import Action
from zongzhi.dispatch.models import RoutingDecision, RoutingRule
from zongzhi.dispatch.moves import pending_move, sign_for
from zongzhi.places.models import Level
from zongzhi.testing.factories import UserFactory, make_case, put_on_case


@pytest.fixture
def high_case(world):
    return make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH, people_count=30)


def _page(client, case) -> str:
    response = client.get(reverse("workbench:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_clerk_sees_the_suggestion_the_rule_and_why(world, high_case, login):
    html = _page(login(world.east.clerk), high_case)
    assert "分流建议" in html and "高风险 → 县级" in html
    assert "风险等级为高" in html and "采纳后纠纷将提级至" in html
    assert reverse("dispatch:routing_accept", args=[high_case.pk]) in html


def test_a_handler_sees_no_routing_forms(world, high_case, login):
    put_on_case(high_case, unit=world.east.unit)  # need-to-know: a handler sees only its cases
    html = _page(login(world.east.handler), high_case)
    assert "采纳建议" not in html and "routing_accept" not in html
    assert reverse("dispatch:routing_accept", args=[high_case.pk]) not in html


def test_accept_from_the_page(world, high_case, login):
    client = login(world.east.clerk)
    rule = RoutingRule.objects.get(name="高风险 → 县级")
    url = reverse("dispatch:routing_accept", args=[high_case.pk])
    response = client.post(url, {"rule": rule.pk, "note": ""})
    assert response.status_code == 302
    sign_for(pending_move(high_case), world.county_clerk)
    high_case.refresh_from_db()
    assert high_case.holding_place == world.county
    html = _page(client, high_case)
    assert "已采纳分流建议：高风险 → 县级" in html
    # The township no longer holds it: the forms are gone, the record stays.
    assert "分流记录" in html and "采纳建议</button>" not in html


def test_override_errors_are_shown_with_the_form_and_change_nothing(world, high_case, login):
    client = login(world.east.clerk)
    url = reverse("dispatch:routing_override", args=[high_case.pk])
    client.post(url, {"level": str(Level.CITY), "reason": ""})
    html = _page(client, high_case)
    assert "改派须填写理由" in html
    client.post(url, {"level": "9", "reason": "x"})
    assert "请选择市、县、乡镇或村级" in _page(client, high_case)
    client.post(url, {"unit": str(world.west.unit.pk), "reason": "x"})
    assert "所选单位不能承办此纠纷" in _page(client, high_case)
    assert not RoutingDecision.objects.exists()


def test_override_from_the_page(world, high_case, login):
    client = login(world.east.clerk)
    services.transition(high_case, Action.ACCEPT, actor=world.east.clerk)
    url = reverse("dispatch:routing_override", args=[high_case.pk])
    client.post(url, {"unit": str(world.east.unit.pk), "reason": "就地化解 13812345678"})
    decision = RoutingDecision.objects.get()
    assert decision.chosen_unit == world.east.unit
    html = _page(client, high_case)
    assert "改派" in html and "138****5678" in html and "13812345678" not in html


def test_another_townships_clerk_gets_404(world, high_case, login):
    client = login(world.west.clerk)
    for name in ("dispatch:routing_accept", "dispatch:routing_override"):
        response = client.post(reverse(name, args=[high_case.pk]), {"reason": "x", "level": "2"})
        assert response.status_code == 404
    assert not RoutingDecision.objects.exists()


def test_routing_posts_need_login_and_post(world, high_case, client):
    url = reverse("dispatch:routing_accept", args=[high_case.pk])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(world.east.clerk)
    assert client.get(url).status_code == 405


@pytest.fixture
def admin_user(world):
    return UserFactory(
        username="county-admin",
        role=Role.ADMINISTRATOR,
        place=world.county,
        is_staff=True,
        is_superuser=True,
    )


def test_admin_lists_and_creates_rules_inactive_by_default(world, admin_user, login):
    client = login(admin_user)
    listing = client.get(reverse("admin:dispatch_routingrule_changelist")).content.decode()
    assert "高风险 → 县级" in listing and "试运行" in listing
    response = client.post(
        reverse("admin:dispatch_routingrule_add"),
        {
            "name": "欠薪 → 县人社",
            "priority": "5",
            "risks": ["high", "medium"],
            "sources": ["hotline_12345"],
            "keywords": "欠薪 讨薪",
            "target_level": str(Level.COUNTY),
            "department": "人社",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = RoutingRule.objects.get(name="欠薪 → 县人社")
    assert not rule.is_active
    assert rule.risks == ["high", "medium"] and rule.sources == ["hotline_12345"]


def test_admin_refuses_an_inverted_people_range(world, admin_user, login):
    response = login(admin_user).post(
        reverse("admin:dispatch_routingrule_add"),
        {"name": "错", "priority": "5", "min_people": "10", "max_people": "3", "target_level": "3"},
    )
    assert response.status_code == 200
    assert "不能小于" in response.content.decode()
    assert not RoutingRule.objects.filter(name="错").exists()


def test_try_out_shows_match_conditions_and_result(world, admin_user, high_case, login):
    rule = RoutingRule.objects.create(
        name="试：高风险欠薪", risks=["high"], keywords="欠薪", target_level=Level.CITY
    )
    client = login(admin_user)
    url = reverse("admin:dispatch_routingrule_try", args=[rule.pk])
    html = client.get(url, {"number": high_case.number}).content.decode()
    assert "不适用：本规则不匹配该纠纷" in html
    assert "风险等级为高" in html and "事由和详情不含所列关键词" in html
    assert "玉溪市" in html and "未启用" in html
    assert "将由规则“高风险 → 县级”分流" in html
    rule.keywords = "争执"
    rule.save()
    html = client.get(url, {"number": high_case.number}).content.decode()
    assert "适用：本规则匹配该纠纷" in html and "事由或详情含“争执”" in html
    rule.refresh_from_db()
    assert not rule.is_active  # trying changes nothing


def test_try_out_finds_only_cases_in_the_users_area(world, high_case, login):
    west_admin = UserFactory(
        username="west-admin",
        role=Role.ADMINISTRATOR,
        place=world.west.place,
        is_staff=True,
        is_superuser=True,
    )
    rule = RoutingRule.objects.first()
    url = reverse("admin:dispatch_routingrule_try", args=[rule.pk])
    html = login(west_admin).get(url, {"number": high_case.number}).content.decode()
    assert "没有找到该编号的纠纷" in html and "try-result" not in html


def test_decisions_admin_is_read_only_and_scoped(world, admin_user, high_case, login):
    from zongzhi.dispatch import routing_services

    routing_services.accept_suggestion(high_case, actor=world.east.clerk)
    client = login(admin_user)
    listing = client.get(reverse("admin:dispatch_routingdecision_changelist")).content.decode()
    assert high_case.number in listing
    assert client.get(reverse("admin:dispatch_routingdecision_add")).status_code == 403
    west_admin = UserFactory(
        username="west-admin2",
        role=Role.ADMINISTRATOR,
        place=world.west.place,
        is_staff=True,
        is_superuser=True,
    )
    listing = login(west_admin).get(reverse("admin:dispatch_routingdecision_changelist"))
    assert high_case.number not in listing.content.decode()
