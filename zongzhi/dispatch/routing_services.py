"""Acting on a routing suggestion: accept it, or override it with a reason.

Both lock the case, check who may route it, record a RoutingDecision and an internal
timeline event, and carry the result out in the same transaction: a different centre is a
move (`dispatch.moves.move_to_centre`, 提级 up or 下交 down); a unit or handler at the holding
centre is the ordinary 交办 (`cases.services.transition`), once the case is at 研判.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zongzhi.accounts.models import Unit, User
from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import INTAKE, Action
from zongzhi.dispatch import eligibility, moves
from zongzhi.dispatch.centres import CENTRE_LEVELS, centre_at_level, nearest_centre, parent_centre
from zongzhi.dispatch.models import RoutingDecision
from zongzhi.dispatch.models.moves import MoveKind
from zongzhi.dispatch.routing import Suggestion, suggest
from zongzhi.places.models import Level, Place

# The steps at which a case is routed: reported (上报待受理) and being assessed (研判).
ROUTABLE_STATUSES = frozenset({Status.REPORT, Status.ASSESS})
ACCEPTED_EVENT = "routing_accepted"
OVERRIDDEN_EVENT = "routing_overridden"


def holding_centre(case: Case) -> Place:
    """The centre that holds `case` (its place's nearest centre for a case from before
    holding centres were recorded)."""
    return case.holding_place or nearest_centre(case.place)


def routing_refusal(user: User, case: Case) -> str | None:
    """Why `user` may not route `case`, or None: only the intake roles (window clerk,
    centre leader, administrator) of the holding centre, while the case is reported or being
    assessed (the same staff who may move it: dispatch.moves.is_centre_staff)."""
    if not user.works_in_an_area or not user.can_see_path(case.place_path):
        return "该纠纷不在您的管辖范围内"
    if user.role not in INTAKE:
        return f"{user.role_label}不能分流纠纷"
    if not moves.is_centre_staff(user, holding_centre(case)):
        return "该纠纷不由您所在的综治中心承办"
    if case.status not in ROUTABLE_STATUSES:
        return f"当前环节为“{case.get_status_display()}”，不能分流"
    if moves.pending_move(case) is not None:
        return "该纠纷已移交，等待接收中心签收"
    return None


def may_route(user: User, case: Case) -> bool:
    """Whether `user` may accept or override routing on `case` now (see routing_refusal)."""
    return routing_refusal(user, case) is None


def _lock_and_check(case: Case, actor: User) -> Case:
    locked = (
        Case.objects.select_for_update().select_related("place", "dispute_type").get(pk=case.pk)
    )
    refusal = routing_refusal(actor, locked)
    if refusal is not None:
        error = InvalidTransition if locked.status not in ROUTABLE_STATUSES else NotPermitted
        raise error(refusal)
    return locked


def _carry_out(
    case: Case,
    place: Place,
    *,
    unit: Unit | None,
    handler: User | None,
    actor: User,
    reason: str,
    now: datetime,
) -> None:
    """Move the case to `place` when another centre should hold it; else 交办 to the unit
    or handler when the case is at 研判 (at 上报 the choice is recorded only)."""
    holding = holding_centre(case)
    if place.pk != holding.pk and place.level < holding.level:
        # 提级 goes one centre up at a time (逐级): the centre above routes it on from there.
        target = parent_centre(holding) or place
        moves.move_to_centre(case, target, MoveKind.ESCALATE, actor=actor, reason=reason, now=now)
    elif place.pk != holding.pk:
        moves.move_to_centre(case, place, MoveKind.DELEGATE, actor=actor, reason=reason, now=now)
    elif (unit is not None or handler is not None) and case.status == Status.ASSESS:
        case_services.transition(
            case, Action.ASSIGN, actor=actor, unit=unit, assignee=handler, note=reason, now=now
        )
    case.refresh_from_db()


def _decision(
    case: Case, suggestion: Suggestion | None, *, outcome, actor, now, **chosen
) -> RoutingDecision:
    return RoutingDecision.objects.create(
        case=case,
        rule=suggestion.rule if suggestion else None,
        rule_name=suggestion.rule.name if suggestion else "",
        reasons=suggestion.reasons if suggestion else [],
        suggested_place=suggestion.place if suggestion else None,
        suggested_unit=suggestion.unit if suggestion else None,
        suggested_handler=suggestion.handler if suggestion else None,
        outcome=outcome,
        decided_by=actor,
        decided_at=now,
        **chosen,
    )


def _event_data(decision: RoutingDecision) -> dict:
    return {
        "decision": decision.pk,
        "rule": decision.rule_id,
        "rule_name": decision.rule_name,
        "place": decision.chosen_place.name if decision.chosen_place else "",
        "level": decision.chosen_level_label,
        "unit": str(decision.chosen_unit or ""),
        "handler": str(decision.chosen_handler or ""),
    }


@transaction.atomic
def accept_suggestion(
    case: Case,
    *,
    actor: User,
    rule_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> RoutingDecision:
    """Accept routing's suggestion for `case` and carry it out.

    `rule_id` is the rule the user saw: when the suggestion has changed meanwhile (rules or
    the case edited), nothing is done and InvalidTransition asks to look again."""
    now = now or timezone.now()
    locked = _lock_and_check(case, actor)
    suggestion = suggest(locked)
    if suggestion is None:
        raise InvalidInput("没有适用的分流规则，请改派并填写理由")
    if rule_id is not None and rule_id != suggestion.rule.pk:
        raise InvalidTransition("分流建议已变化，请刷新页面后重新确认")
    reason = (
        note.strip() or f"采纳分流规则“{suggestion.rule.name}”：{'；'.join(suggestion.reasons)}"
    )
    decision = _decision(
        locked,
        suggestion,
        outcome=RoutingDecision.Outcome.ACCEPTED,
        actor=actor,
        now=now,
        chosen_place=suggestion.place,
        chosen_unit=suggestion.unit,
        chosen_handler=suggestion.handler,
        reason=note.strip(),
    )
    case_services.record_event(
        locked,
        ACCEPTED_EVENT,
        actor=actor,
        label=case_services.actor_label(actor),
        at=now,
        from_status=locked.status,
        note=reason,
        data=_event_data(decision),
        is_public=False,
    )
    _carry_out(
        locked,
        suggestion.place,
        unit=suggestion.unit,
        handler=suggestion.handler,
        actor=actor,
        reason=reason,
        now=now,
    )
    _copy_state(locked, case)
    return decision


def override_target(case: Case, level: Level | int | None) -> Place:
    """The centre an override names: the case's own ancestor at `level` (the holding centre
    when no level is chosen); InvalidInput when the case has no centre at that level."""
    if level is None:
        return holding_centre(case)
    try:
        level = Level(int(level))
    except ValueError:
        raise InvalidInput("请选择市、县、乡镇或村级", field="level") from None
    place = centre_at_level(case.place, level) if level in CENTRE_LEVELS else None
    if place is None:
        raise InvalidInput(f"该纠纷所在地没有{level.label}综治中心", field="level")
    return place


@transaction.atomic
def override_route(
    case: Case,
    *,
    actor: User,
    reason: str,
    level: Level | int | None = None,
    unit: Unit | None = None,
    handler: User | None = None,
    now: datetime | None = None,
) -> RoutingDecision:
    """Route `case` otherwise than suggested (or when nothing is suggested): a level and/or
    a unit and/or a handler, with a required reason; recorded and carried out."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise InvalidInput("改派须填写理由", field="reason")
    if level is None and unit is None and handler is None:
        raise InvalidInput("请选择承办层级、承办单位或承办人", field="level")
    locked = _lock_and_check(case, actor)
    place = override_target(locked, level)
    if unit is not None and not eligibility.may_take_unit(locked, unit):
        raise InvalidInput(eligibility.UNIT_REFUSED, field="unit")
    if handler is not None and not eligibility.may_take_person(locked, handler):
        raise InvalidInput(eligibility.ASSIGNEE_REFUSED, field="assignee")
    stays = place.pk == holding_centre(locked).pk
    if stays and (unit or handler) and locked.status != Status.ASSESS:
        raise InvalidTransition("纠纷须先受理（进入研判环节），才能交办给单位或承办人")
    decision = _decision(
        locked,
        suggest(locked),
        outcome=RoutingDecision.Outcome.OVERRIDDEN,
        actor=actor,
        now=now,
        chosen_place=place,
        chosen_unit=unit,
        chosen_handler=handler,
        reason=reason,
    )
    case_services.record_event(
        locked,
        OVERRIDDEN_EVENT,
        actor=actor,
        label=case_services.actor_label(actor),
        at=now,
        from_status=locked.status,
        note=reason,
        data=_event_data(decision),
        is_public=False,
    )
    _carry_out(locked, place, unit=unit, handler=handler, actor=actor, reason=reason, now=now)
    _copy_state(locked, case)
    return decision


def _copy_state(locked: Case, case: Case) -> None:
    """Hand the caller's instance the new state (as cases.services.transition does)."""
    for model_field in Case._meta.concrete_fields:
        setattr(case, model_field.attname, getattr(locked, model_field.attname))
