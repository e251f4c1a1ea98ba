"""Routing (分流) in the staff API: the suggestion with its reasons, accept, override.

The case is read through `case_for_user` (404 outside the caller's area); the services in
dispatch.routing_services check who may route and carry the decision out.
"""

from datetime import datetime
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.accounts.models import Unit, User
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import InputSchema
from zongzhi.api.schemas import ErrorOut
from zongzhi.cases import selectors
from zongzhi.dispatch import eligibility, routing, routing_services
from zongzhi.dispatch.models import RoutingDecision
from zongzhi.places.models import Level, Place

router = Router(tags=["分流（工作人员）"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RoutingLevel(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


LEVELS = {
    RoutingLevel.CITY: Level.CITY,
    RoutingLevel.COUNTY: Level.COUNTY,
    RoutingLevel.TOWNSHIP: Level.TOWNSHIP,
    RoutingLevel.VILLAGE: Level.VILLAGE,
}
LEVEL_NAMES = {level: name.value for name, level in LEVELS.items()}


class CentreOut(Schema):
    code: str
    name: str
    level: str = Field(description="city / county / township / village")
    level_label: str


class SuggestionOut(Schema):
    rule: int
    rule_name: str
    reasons: list[str]
    centre: CentreOut
    unit: int | None
    unit_name: str
    handler: str | None = Field(description="建议承办人用户名")
    notes: list[str]


class DecisionOut(Schema):
    id: int
    outcome: str
    rule_name: str
    centre: CentreOut | None
    unit_name: str
    handler: str | None
    reason: str
    decided_by: str
    decided_at: datetime


class RoutingOut(Schema):
    holding: CentreOut
    suggestion: SuggestionOut | None
    may_route: bool
    refusal: str | None = Field(description="不能分流的原因")
    decisions: list[DecisionOut]


class AcceptIn(InputSchema):
    rule: int | None = Field(None, description="所见建议的规则编号；建议已变化时拒绝（409）")
    note: str = Field("", max_length=2000)


class OverrideIn(InputSchema):
    level: RoutingLevel | None = Field(None, description="承办层级")
    unit: int | None = Field(None, description="承办单位编号")
    assignee: str | None = Field(None, description="承办人用户名")
    reason: str = Field("", max_length=2000, description="改派理由（必填）")


def _centre(place: Place | None) -> dict | None:
    if place is None:
        return None
    return {
        "code": place.code,
        "name": place.name,
        "level": LEVEL_NAMES.get(Level(place.level), str(place.level)),
        "level_label": place.level_label,
    }


def _decision_out(decision: RoutingDecision) -> dict:
    from zongzhi.privacy.masking import mask_free_text

    return {
        "id": decision.pk,
        "outcome": decision.outcome,
        "rule_name": decision.rule_name,
        "centre": _centre(decision.chosen_place),
        "unit_name": decision.chosen_unit.name if decision.chosen_unit else "",
        "handler": decision.chosen_handler.username if decision.chosen_handler else None,
        "reason": mask_free_text(decision.reason),
        "decided_by": str(decision.decided_by or ""),
        "decided_at": decision.decided_at,
    }


def _routing_out(case, user: User) -> dict:
    suggestion = routing.suggest(case)
    decisions = RoutingDecision.objects.filter(case=case).select_related(
        "chosen_place", "chosen_unit", "chosen_handler", "decided_by"
    )
    return {
        "holding": _centre(routing_services.holding_centre(case)),
        "suggestion": None
        if suggestion is None
        else {
            "rule": suggestion.rule.pk,
            "rule_name": suggestion.rule.name,
            "reasons": suggestion.reasons,
            "centre": _centre(suggestion.place),
            "unit": suggestion.unit.pk if suggestion.unit else None,
            "unit_name": suggestion.unit.name if suggestion.unit else "",
            "handler": suggestion.handler.username if suggestion.handler else None,
            "notes": suggestion.notes,
        },
        "may_route": routing_services.may_route(user, case),
        "refusal": routing_services.routing_refusal(user, case),
        "decisions": [_decision_out(d) for d in decisions],
    }


@router.get("/cases/{case_id}/routing", response={200: RoutingOut, **ERRORS}, summary="分流建议")
def read_routing(request: HttpRequest, case_id: int):
    """The suggestion for the case (the first matching active rule, its reasons and
    result), whether the caller may act on it, and the decisions made so far."""
    case = selectors.case_for_user(request.auth, case_id)
    return _routing_out(case, request.auth)


@router.post(
    "/cases/{case_id}/routing/accept", response={200: RoutingOut, **ERRORS}, summary="采纳分流建议"
)
def accept_routing(request: HttpRequest, case_id: int, payload: AcceptIn):
    """Accepts the suggestion: a move to the suggested centre, or 交办 to the suggested unit
    or handler at the holding centre (at 研判); recorded with a timeline event."""
    user = request.auth
    case = selectors.case_for_user(user, case_id)
    routing_services.accept_suggestion(case, actor=user, rule_id=payload.rule, note=payload.note)
    return _routing_out(selectors.case_for_user(user, case_id), user)


@router.post(
    "/cases/{case_id}/routing/override", response={200: RoutingOut, **ERRORS}, summary="改派"
)
def override_routing(request: HttpRequest, case_id: int, payload: OverrideIn):
    """Routes the case otherwise than suggested: a level and/or a unit and/or a handler,
    with a required reason; recorded with a timeline event."""
    user = request.auth
    case = selectors.case_for_user(user, case_id)
    unit = handler = None
    # The same refusal for an unknown id or name as for one that may not take the case.
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit).select_related("place").first()
        if unit is None:
            raise ApiError(422, "invalid_input", eligibility.UNIT_REFUSED, "unit")
    if payload.assignee:
        handler = User.objects.filter(username=payload.assignee).first()
        if handler is None:
            raise ApiError(422, "invalid_input", eligibility.ASSIGNEE_REFUSED, "assignee")
    routing_services.override_route(
        case,
        actor=user,
        reason=payload.reason,
        level=LEVELS[payload.level] if payload.level else None,
        unit=unit,
        handler=handler,
    )
    return _routing_out(selectors.case_for_user(user, case_id), user)
