from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import make_case


def test_case_walks_the_nine_steps(world):
    town = world.east
    case = make_case(town.village, town.clerk)
    assert case.number.startswith("530402-")
    services.transition(case, Action.ACCEPT, actor=town.clerk)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    services.transition(case, Action.MEET, actor=town.handler)
    services.transition(
        case, Action.CONCLUDE, actor=town.handler, note="达成协议", outcome=Outcome.RESOLVED
    )
    services.transition(case, Action.CLOSE, actor=town.clerk, note="回访满意")
    assert case.status == Status.CLOSED
    assert case.next_due_at is None
    assert Case.objects.visible_to(world.west.clerk).count() == 0
    assert Case.objects.visible_to(world.county_clerk).count() == 1
    assert case.events.count() == 6
