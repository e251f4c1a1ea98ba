"""The screening issue's hook: a confirmed high-risk signal raises the case once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from zongzhi.cases.choices import RiskGrade
from zongzhi.clock.escalation import raise_for_signal
from zongzhi.clock.models import SweepStep
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


def test_a_signal_raises_to_high_once_and_makes_the_case_urgent(world):
    case = make_case(world.east.village, world.east.clerk, now=at(3, 11, 10))
    event = raise_for_signal(case, "revenge", now=at(3, 11, 20))
    assert event.kind == "risk_signal" and event.label == "风险信号提级"
    assert event.data == {"signal": "revenge", "from": "low", "to": "high"}
    case.refresh_from_db()
    assert case.risk == RiskGrade.HIGH and case.clock_version == 2
    assert case.accept_due_at == at(3, 11, 22)  # natural hours from the signal
    assert case.next_sweep_at == case.warn_at == at(3, 11, 21, 30)
    assert raise_for_signal(case, "revenge", now=at(3, 11, 21)) is None
    assert case.events.filter(kind="risk_signal").count() == 1
    case.refresh_from_db()
    assert case.clock_version == 2
    # Another signal is its own step: recorded, the case already high and urgent.
    assert raise_for_signal(case, "self_harm", actor=world.east.clerk, now=at(3, 11, 21))
    assert SweepStep.objects.filter(case=case, step="raise").count() == 2
    case.refresh_from_db()
    assert case.clock_version == 2


def test_a_confirmed_signal_makes_the_case_key_once(world):
    from zongzhi.dispatch.models import KeyCase

    case = make_case(world.east.village, world.east.clerk, now=at(3, 11, 10))
    raise_for_signal(case, "violence", now=at(3, 11, 20))
    key = KeyCase.objects.get(case=case)  # 一案三交 for the case raised to high by the signal
    raise_for_signal(case, "group_incident", now=at(3, 11, 21))
    assert KeyCase.objects.filter(case=case).count() == 1
    assert KeyCase.objects.get(case=case).pk == key.pk
