from zongzhi.cases import services
from zongzhi.cases.choices import Outcome
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import make_case


def accepted_case(world, **fields):
    case = make_case(world.east.village, world.east.clerk, **fields)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    return case


def concluded_case(world, **fields):
    case = accepted_case(world, **fields)
    services.transition(case, Action.ASSIGN, actor=world.east.clerk, assignee=world.east.handler)
    services.transition(case, Action.MEET, actor=world.east.handler)
    services.transition(
        case,
        Action.CONCLUDE,
        actor=world.east.handler,
        note="双方达成协议",
        outcome=Outcome.RESOLVED,
    )
    return case
