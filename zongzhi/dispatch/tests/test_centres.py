"""Which centre holds a case when it is registered, and which held it when concluded."""

from zongzhi.cases import services
from zongzhi.cases.choices import Outcome
from zongzhi.cases.workflow import Action
from zongzhi.places.models import Level
from zongzhi.testing.factories import make_case


def test_a_clerk_registers_for_their_own_centre(world):
    assert make_case(world.east.village, world.east.clerk).holding_place == world.east.place
    assert make_case(world.east.village, world.county_clerk).holding_place == world.county


def test_a_grid_workers_report_belongs_to_the_village_of_the_grid(world):
    case = make_case(world.east.grid, world.east.grid_worker)
    assert case.holding_place == world.east.village


def test_a_citizens_report_goes_to_the_township_of_the_place(world):
    assert make_case(world.east.grid, None).holding_place == world.east.place
    assert make_case(world.county, None).holding_place == world.county


def test_conclusion_records_the_holding_centre_and_its_level_and_reopen_clears_them(world):
    case = make_case(world.east.village, world.east.clerk)
    clerk, handler = world.east.clerk, world.east.handler
    services.transition(case, Action.ACCEPT, actor=clerk)
    services.transition(case, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    services.transition(case, Action.MEET, actor=handler)
    services.transition(case, Action.CONCLUDE, actor=handler, outcome=Outcome.RESOLVED, note="调解")
    case.refresh_from_db()
    assert case.concluded_holding_place == world.east.place
    assert case.concluded_level == Level.TOWNSHIP
    services.transition(case, Action.REOPEN, actor=clerk, note="当事人反映又起纠纷")
    case.refresh_from_db()
    assert case.concluded_holding_place is None and case.concluded_level is None
