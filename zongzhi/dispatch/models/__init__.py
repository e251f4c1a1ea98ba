"""Dispatch's tables, one module per part (routing rules, moves between centres).

Case-level fields live on the case itself (`Case.holding_place`, `concluded_holding_place`,
`concluded_level`); units' service areas on `Unit.serves`; lead and joint handlers on
`cases.CaseAssignment`. Each part's module is imported here so that Django finds its models.
"""

from zongzhi.dispatch.models.moves import CaseMove  # noqa: F401
from zongzhi.dispatch.models.routing import RoutingDecision, RoutingRule  # noqa: F401
from zongzhi.dispatch.models.whistles import JointCallSeat, SubTask, UnitContacts  # noqa: F401
