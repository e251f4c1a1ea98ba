import pytest

from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.intake import ratelimit, services
from zongzhi.intake.models import SubmissionReceipt


def report(world, **extra):
    fields = {
        "dispute_type": world.dispute_type,
        "description": "隔壁装修每天晚上十点后还在施工，多次沟通无果。",
        "place": world.east.village,
        "contact_name": "王芳",
        "contact_phone": "13987654321",
    }
    return services.CitizenReport(**{**fields, **extra})


def test_retry_with_same_key_returns_first_case(world):
    first = services.submit_report(report(world), channel="h5", idempotency_key="abc-1")
    again = services.submit_report(report(world), channel="h5", idempotency_key="abc-1")
    assert first.created and not again.created
    assert again.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert SubmissionReceipt.objects.count() == 1


def test_key_reused_for_other_content_is_refused(world):
    services.submit_report(report(world), channel="h5", idempotency_key="abc-2")
    with pytest.raises(services.IdempotencyConflict):
        services.submit_report(
            report(world, description="另一件事情"), channel="h5", idempotency_key="abc-2"
        )
    assert Case.objects.count() == 1


def test_same_key_on_another_channel_is_another_submission(world):
    services.submit_report(report(world), channel="h5", idempotency_key="k")
    services.submit_report(report(world), channel="open311", idempotency_key="k")
    assert Case.objects.count() == 2


def test_failure_mid_submission_stores_nothing(world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SubmissionReceipt.objects, "create", explode)
    with pytest.raises(RuntimeError):
        services.submit_report(report(world), channel="h5", idempotency_key="boom")
    assert Case.objects.count() == 0


def test_bad_input_is_refused_and_nothing_is_stored(world):
    with pytest.raises(InvalidInput) as error:
        services.submit_report(report(world, description="  "), channel="h5")
    assert error.value.field == "description"
    with pytest.raises(InvalidInput):
        services.submit_report(report(world, description="字" * 2001), channel="h5")
    with pytest.raises(InvalidInput):
        services.submit_report(report(world, place=world.county.parent), channel="h5")
    assert Case.objects.count() == 0


def test_lookup_needs_the_right_phone_digits(world):
    case = services.submit_report(report(world), channel="h5").case
    assert services.find_case(case.query_code.lower(), "4321") == case
    assert services.find_case(case.query_code, "1234") is None
    assert services.find_case("XXXXXXXX", "4321") is None
    assert services.find_case(case.query_code, "43") is None


def conclude(case, world, outcome=Outcome.RESOLVED):
    town = world.east
    case_services.transition(case, Action.ACCEPT, actor=town.clerk)
    case_services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    case_services.transition(case, Action.MEET, actor=town.handler)
    case_services.transition(
        case, Action.CONCLUDE, actor=town.handler, note="双方达成协议", outcome=outcome
    )


def test_rate_once_per_round_and_reopen_starts_a_new_round(world):
    case = services.submit_report(report(world), channel="h5").case
    with pytest.raises(InvalidTransition):
        services.rate(case, 5)
    conclude(case, world)
    services.rate(case, 4, "调解员很耐心")
    with pytest.raises(InvalidTransition):
        services.rate(case, 5)
    services.reopen(case, "对方没有按协议停工")
    case.refresh_from_db()
    assert case.status == Status.RESOLVE and case.reopen_count == 1 and case.outcome == ""
    assert case.next_due_at == case.resolve_due_at
    with pytest.raises(InvalidTransition):
        services.reopen(case, "再次")
    case_services.transition(
        case, Action.CONCLUDE, actor=world.east.handler, note="再次调解", outcome=Outcome.RESOLVED
    )
    assert services.can_rate(case)
    services.rate(case, 5)


def test_public_timeline_masks_staff_and_hides_their_notes(world):
    case = services.submit_report(report(world), channel="h5").case
    conclude(case, world)
    rows = services.public_timeline(case)
    assert [r.label for r in rows][:2] == ["登记", "受理"]
    staff_rows = [r for r in rows if "工作人员" in r.actor or "*" in r.actor]
    assert staff_rows and all(r.note == "" for r in staff_rows)
    assert all(world.east.clerk.display_name not in r.actor for r in rows)


def test_rate_limit_counts_per_window(db):
    rate = ratelimit.Rate(limit=2, seconds=60)
    for _ in range(2):
        ratelimit.check("report-ip", "10.0.0.1", rate, "太频繁", now=1000)
    with pytest.raises(ratelimit.RateLimited) as error:
        ratelimit.check("report-ip", "10.0.0.1", rate, "太频繁", now=1001)
    assert 0 < error.value.retry_after <= 60
    ratelimit.check("report-ip", "10.0.0.2", rate, "太频繁", now=1001)
    ratelimit.check("report-ip", "10.0.0.1", rate, "太频繁", now=1081)
