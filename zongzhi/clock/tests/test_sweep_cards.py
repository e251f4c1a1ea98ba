"""The card action of the escalation sweep; runs once dispatch.cards (another branch) is in."""

import pytest

pytest.importorskip("zongzhi.dispatch.cards")

from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from zongzhi.clock.models import (  # noqa: E402
    DelayUnit,
    EscalationAction,
    EscalationRule,
    SweepStep,
)
from zongzhi.clock.sweep import sweep  # noqa: E402
from zongzhi.testing.factories import make_case  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


def test_the_card_rule_issues_one_card_per_step(world, monkeypatch):
    from zongzhi.dispatch import cards

    EscalationRule.objects.all().delete()
    EscalationRule.objects.create(
        name="受理超期1个工作日发黄牌",
        milestone="accept",
        delay=1,
        delay_unit=DelayUnit.WORKING_DAYS,
        action=EscalationAction.ISSUE_CARD,
        card_grade="yellow",
    )
    issued = []
    real = cards.issue_card

    def spy(case, **kwargs):
        issued.append(kwargs)
        return real(case, **kwargs)

    monkeypatch.setattr(cards, "issue_card", spy)
    case = make_case(world.east.village, world.east.clerk, now=at(3, 11, 10))
    sweep(at(3, 14, 1))  # the end of Friday 13 March, a working day after the due time
    sweep(at(3, 14, 2))
    assert len(issued) == 1
    (kwargs,) = issued
    assert kwargs["by"] is None and kwargs["grade"] == cards.CardGrade.YELLOW
    assert kwargs["source"].startswith(f"sweep:{case.pk}:milestone:accept:v1:rule:")
    step = SweepStep.objects.get(step__startswith="rule:")
    assert step.outcome.startswith("已发")
