from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, RiskGrade, Source, Status
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import DisputeTypeFactory, make_case, party

QUEUE = reverse("workbench:queue")


def listed(response) -> set[Case]:
    return set(response.context["page"].object_list)


@pytest.fixture
def clerk(world, login):
    return login(world.east.clerk)


def test_queue_lists_my_area_only(world, clerk, frozen_now):
    mine = make_case(world.east.village, world.east.clerk)
    make_case(world.west.village, world.west.clerk)
    response = clerk.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == {mine}
    html = response.content.decode()
    assert mine.number in html and mine.title in html
    assert "邻里纠纷" in html and "玉兴街道一村" in html
    assert "上报待受理" in html
    assert "剩余 1天14小时" in html  # accept due at the end of Thu 12 March
    assert 'class="badge badge-normal"' in html  # red only on that last working day


def test_overdue_case_shows_hours_past_due(world, clerk, frozen_now):
    # Reported on Monday: accept was due at the end of Tuesday, 10 hours ago.
    make_case(world.east.village, world.east.clerk, now=frozen_now - timedelta(days=2))
    assert "已超期 10 小时" in clerk.get(QUEUE).content.decode()


def test_long_overdue_case_shows_days_not_thousands_of_hours(world, clerk, frozen_now):
    # Reported on Thursday 5 March: accept was due at the end of Friday the 6th.
    make_case(world.east.village, world.east.clerk, now=frozen_now - timedelta(days=6))
    html = clerk.get(QUEUE).content.decode()
    assert "已超期 4天10小时" in html
    assert "106 小时" not in html


def test_filters_by_status_risk_source_and_type(world, clerk):
    wages = DisputeTypeFactory(code="wages", name="劳动报酬")
    high = make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH)
    hotline = make_case(world.east.village, world.east.clerk, source=Source.HOTLINE_12345)
    typed = make_case(world.east.village, world.east.clerk, dispute_type=wages)
    accepted = make_case(world.east.village, world.east.clerk)
    services.transition(accepted, Action.ACCEPT, actor=world.east.clerk)
    assert listed(clerk.get(QUEUE, {"risk": "high"})) == {high}
    assert listed(clerk.get(QUEUE, {"source": "hotline_12345"})) == {hotline}
    assert listed(clerk.get(QUEUE, {"dispute_type": wages.pk})) == {typed}
    assert listed(clerk.get(QUEUE, {"status": "assess"})) == {accepted}


def test_filters_by_colour_and_overdue(world, clerk, frozen_now):
    overdue = make_case(
        world.east.village, world.east.clerk, now=timezone.now() - timedelta(days=2)
    )
    green = make_case(world.east.village, world.east.clerk)
    services.transition(green, Action.ACCEPT, actor=world.east.clerk)
    services.transition(green, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    services.transition(green, Action.MEET, actor=world.east.handler)
    services.transition(
        green, Action.CONCLUDE, actor=world.east.handler, note="达成协议", outcome=Outcome.RESOLVED
    )
    fresh = make_case(world.east.village, world.east.clerk)
    # Reported yesterday: accept is due tonight, red all day today.
    nearly_due = make_case(
        world.east.village, world.east.clerk, now=timezone.now() - timedelta(days=1)
    )
    assert listed(clerk.get(QUEUE, {"colour": "green"})) == {green}
    assert listed(clerk.get(QUEUE, {"colour": "red"})) == {overdue, nearly_due}
    assert listed(clerk.get(QUEUE, {"colour": "normal"})) == {fresh}
    assert listed(clerk.get(QUEUE, {"overdue": "on"})) == {overdue}


def test_filters_by_place_and_dates(world, login):
    village_case = make_case(world.east.village, world.east.clerk)
    grid_case = make_case(world.east.grid, world.east.clerk)
    west_case = make_case(world.west.village, world.west.clerk)
    long_ago = make_case(
        world.east.village, world.east.clerk, now=timezone.now() - timedelta(days=40)
    )
    client = login(world.county_leader)
    assert listed(client.get(QUEUE, {"place": world.west.place.pk})) == {west_case}
    assert listed(client.get(QUEUE, {"place": world.east.village.pk})) == {
        village_case,
        grid_case,
        long_ago,
    }
    today = timezone.localdate()
    recent = client.get(QUEUE, {"created_from": (today - timedelta(days=1)).isoformat()})
    assert listed(recent) == {village_case, grid_case, west_case}
    old = client.get(QUEUE, {"created_to": (today - timedelta(days=30)).isoformat()})
    assert listed(old) == {long_ago}


def test_place_select_offers_my_subtree_down_to_villages(world, clerk):
    options = set(clerk.get(QUEUE).context["form"].fields["place"].queryset)
    assert options == {world.east.place, world.east.village}


def test_assigned_to_me(world, login):
    assigned = make_case(world.east.village, world.east.clerk)
    services.transition(assigned, Action.ACCEPT, actor=world.east.clerk)
    services.transition(assigned, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    make_case(world.east.village, world.east.clerk)
    assert listed(login(world.east.handler).get(QUEUE, {"mine": "on"})) == {assigned}


def test_search_by_number_title_description_and_exact_party_name(world, clerk):
    case = make_case(
        world.east.village,
        world.east.clerk,
        title="柑桔收购价格纠纷",
        description="三十名工人要求按约定价格结算",
        parties=[party(name="王小明")],
    )
    other = make_case(world.east.village, world.east.clerk)
    assert listed(clerk.get(QUEUE, {"q": case.number})) == {case}
    assert listed(clerk.get(QUEUE, {"q": "柑桔"})) == {case}
    assert listed(clerk.get(QUEUE, {"q": "三十名工人"})) == {case}
    assert listed(clerk.get(QUEUE, {"q": "王小明"})) == {case}
    assert listed(clerk.get(QUEUE, {"q": "王小"})) == set()
    assert listed(clerk.get(QUEUE, {"q": "李四"})) == {other}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "flying"}, "环节："),
        ({"colour": "purple"}, "红黄绿："),
        ({"risk": "extreme"}, "风险等级："),
        ({"source": "pigeon"}, "来源："),
        ({"dispute_type": "abc"}, "所选纠纷类型不存在"),
        ({"dispute_type": "999999"}, "所选纠纷类型不存在"),
        ({"place": "999999"}, "所选地点不在您的管辖范围内"),
        ({"created_from": "2026-02-30"}, "请输入有效的日期"),
        ({"created_to": "yesterday"}, "请输入有效的日期"),
        ({"created_from": "2026-03-02", "created_to": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"q": "x" * 101}, "搜索："),
    ],
)
def test_invalid_filters_give_a_chinese_message_not_an_error(world, clerk, params, message):
    case = make_case(world.east.village, world.east.clerk)
    response = clerk.get(QUEUE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "以下筛选条件无效，已忽略" in html
    assert message in html
    # The invalid filter is ignored, the valid rest still applies.
    assert listed(response) == {case}


def test_place_outside_my_area_is_refused(world, clerk):
    make_case(world.west.village, world.west.clerk)
    response = clerk.get(QUEUE, {"place": world.west.place.pk})
    assert "所选地点不在您的管辖范围内" in response.content.decode()
    assert listed(response) == set()


def test_htmx_request_gets_the_table_only(world, clerk):
    case = make_case(world.east.village, world.east.clerk)
    response = clerk.get(QUEUE, {"status": "report"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert case.number in html
    assert "HX-Request" in response["Vary"]
    full = clerk.get(QUEUE, {"status": "report"})
    assert "<html" in full.content.decode()
    assert 'hx-get="/cases/"' in full.content.decode()
    assert 'hx-push-url="true"' in full.content.decode()


def test_history_restore_gets_the_full_page(world, clerk):
    response = clerk.get(
        QUEUE, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_pagination_fifty_a_page(world, clerk):
    for _ in range(51):
        make_case(world.east.village, world.east.clerk)
    first = clerk.get(QUEUE)
    assert len(first.context["page"].object_list) == 50
    assert "下一页" in first.content.decode()
    assert "page=2" in first.content.decode()
    second = clerk.get(QUEUE, {"page": 2})
    assert len(second.context["page"].object_list) == 1
    # A page number that is not a number, or too large, falls back instead of failing.
    assert clerk.get(QUEUE, {"page": "abc"}).context["page"].number == 1
    assert clerk.get(QUEUE, {"page": 99}).context["page"].number == 2


def test_pagination_keeps_the_filters(world, clerk):
    for _ in range(51):
        make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH)
    html = clerk.get(QUEUE, {"risk": "high"}).content.decode()
    assert "risk=high&amp;page=2" in html


def test_queue_anonymous_redirects_and_post_refused(world, client, clerk):
    assert clerk.post(QUEUE).status_code == 405
    client.logout()
    assert client.get(QUEUE).status_code == 302


def test_status_filter_choices_cover_every_status(world, clerk):
    form = clerk.get(QUEUE).context["form"]
    values = {value for value, _ in form.fields["status"].choices}
    assert values == {""} | set(Status.values)
