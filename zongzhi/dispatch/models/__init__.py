"""Dispatch's tables, one module per part (routing rules, moves between centres,
supervision cards).

Case-level fields live on the case itself (`Case.holding_place`, `concluded_holding_place`,
`concluded_level`); units' service areas on `Unit.serves`; lead and joint handlers on
`cases.CaseAssignment`. Each part's module is imported here so that Django finds its models.
"""

from zongzhi.dispatch.models.cards import SupervisionCard  # noqa: F401
from zongzhi.dispatch.models.coverage import Coverage  # noqa: F401
from zongzhi.dispatch.models.duties import Duty, KeyCase  # noqa: F401
from zongzhi.dispatch.models.moves import CaseMove  # noqa: F401
from zongzhi.dispatch.models.plans import PlanItem  # noqa: F401
from zongzhi.dispatch.models.routing import RoutingDecision, RoutingRule  # noqa: F401
from zongzhi.dispatch.models.teams import CaseTeam, TeamMember  # noqa: F401
from zongzhi.dispatch.models.whistles import JointCallSeat, SubTask, UnitContacts  # noqa: F401
