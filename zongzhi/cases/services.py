"""Every change to a case goes through a function here.

Each function checks the rule, writes the change and its timeline event in one transaction,
and is the only way to make that change. `now` can be passed so that imports, the demo data
and the tests can place events in time; it defaults to the current time.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zongzhi.accounts.models import HANDLER_ROLES, Role, Unit, User
from zongzhi.cases import deadlines, files
from zongzhi.cases.choices import Outcome, PartyRole, RiskGrade, Source, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseAssignment, CaseAttachment, CaseEvent, DisputeType, Party
from zongzhi.cases.numbering import new_query_code, next_case_number
from zongzhi.cases.selectors import may_take_steps, may_work_on
from zongzhi.cases.workflow import TRANSITIONS, Action, Transition
from zongzhi.dispatch import handlers, key_cases
from zongzhi.dispatch.centres import initial_holding_centre
from zongzhi.notify import events as notify_events
from zongzhi.places.models import Level, Place

# What registration may open a case at: reported (the usual), or a grid worker's visit record.
INITIAL_STATUSES = frozenset({Status.REPORT, Status.VISIT})
# Who may register a case on behalf of somebody (citizens come in through intake, actor None).
REGISTERING_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.GRID_WORKER, Role.CENTRE_LEADER, Role.ADMINISTRATOR, Role.MEDIATOR}
)
# Who may re-judge a case's risk grade (研判); the case page shows its form to these roles.
RISK_JUDGING_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.CENTRE_LEADER, Role.ADMINISTRATOR, Role.ANALYST}
)


# Actions that end a case's clock or start it anew: refused while the clock is paused.
CLOCK_ENDING_ACTIONS = frozenset({Action.REJECT, Action.CLOSE, Action.REOPEN})


@dataclass
class PartyData:
    role: PartyRole
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class CaseData:
    """What it takes to register a case; validated by the caller's form or schema."""

    source: Source
    dispute_type: DisputeType
    title: str
    description: str
    place: Place
    risk: RiskGrade = RiskGrade.LOW
    people_count: int = 2
    parties: list[PartyData] = field(default_factory=list)
    location_text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    external_id: str | None = None
    # Files already checked (cases.uploads); stored with the case, in its transaction.
    attachments: list[UploadedFile] = field(default_factory=list)


def actor_label(actor: User | None, fallback: str = "系统") -> str:
    if actor is None:
        return fallback
    return f"{actor.display_name or actor.username}（{actor.role_label}）"


def record_event(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    label: str,
    at: datetime,
    from_status: str = "",
    note: str = "",
    data: dict | None = None,
    is_public: bool = True,
) -> CaseEvent:
    """Append an event to the case's timeline (for changes that are not step transitions,
    made by the services of this and other apps inside their own transaction).

    The messages the event causes (notify.events) are written in the same transaction."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_label=label,
        created_at=at,
        from_status=from_status,
        to_status=case.status,
        note=note,
        data=data or {},
        place_path=case.place_path,
        is_public=is_public,
    )
    notify_events.on_case_event(event)
    return event


def _county_of(place: Place) -> Place:
    county = place.ancestor_at(Level.COUNTY)
    if county is None:
        raise InvalidInput("纠纷必须登记到县（市、区）或以下的地点", field="place")
    return county


@files.discarding_staged_on_error
@transaction.atomic
def register_case(
    data: CaseData,
    *,
    actor: User | None,
    actor_name: str = "群众",
    initial_status: Status = Status.REPORT,
    now: datetime | None = None,
) -> Case:
    """Open a case: number it, set its 13715 due times, store parties, write 'created'.

    `actor` None means the citizen filed it themselves (or an interface did, named by
    `actor_name`); a staff actor must hold a registering role and the place must be in
    their area.
    """
    now = now or timezone.now()
    if initial_status not in INITIAL_STATUSES:
        raise InvalidInput("新登记的纠纷只能处于“上报待受理”或“走访”环节")
    if actor is not None:
        if actor.role not in REGISTERING_ROLES:
            raise NotPermitted("您的角色不能登记纠纷")
        if not actor.can_see_path(data.place.path):
            raise NotPermitted("所选地点不在您的管辖范围内", field="place")
    if not data.dispute_type.is_active:
        raise InvalidInput("该纠纷类型已停用", field="dispute_type")
    county = _county_of(data.place)
    query_code = new_query_code()
    case = Case(
        # Numbered last (below): the county's counter row stays locked until commit.
        number=f"待编号-{query_code}",
        query_code=query_code,
        source=data.source,
        external_id=data.external_id,
        title=data.title.strip(),
        description=data.description.strip(),
        dispute_type=data.dispute_type,
        risk=data.risk,
        people_count=data.people_count,
        place=data.place,
        place_path=data.place.path,
        county=county,
        location_text=data.location_text.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        status=initial_status,
        created_at=now,
        created_by=actor,
        holding_place=initial_holding_centre(data.place, actor),
    )
    if initial_status == Status.REPORT:
        _start_clock(case, now)
    case.save()
    for party in data.parties:
        Party.objects.create(
            case=case,
            role=party.role,
            name=party.name.strip(),
            id_number=party.id_number.strip().upper(),
            phone=party.phone.strip(),
            address=party.address.strip(),
        )
    record_event(
        case,
        "created",
        actor=actor,
        label=actor_label(actor, actor_name),
        at=now,
        data={"source": data.source, "risk": data.risk},
    )
    for upload in data.attachments:
        add_attachment(case, upload, actor=actor, now=now)
    case.number = next_case_number(county, timezone.localtime(now).year)
    case.save(update_fields=["number"])
    key_cases.check_case(case, now=now)  # 一案三交 when high risk or many people
    return case


def _start_clock(case: Case, at: datetime) -> None:
    case.reported_at = at
    urgent = deadlines.is_urgent(case)
    due_times = deadlines.compute_due_times(at, urgent=urgent, place=case.place)
    for name, due in due_times.as_fields().items():
        setattr(case, name, due)
    deadlines.refresh_clock(case)


def permitted_actions(case: Case, user: User) -> list[Transition]:
    """The transitions `user` may take on `case` now (for showing buttons)."""
    return [t for t in TRANSITIONS.values() if _refusal(case, t, user) is None]


def _refusal(case: Case, transition: Transition, user: User) -> str | None:
    """Why `user` may not take `transition` on `case`, or None when they may."""
    if case.status not in transition.sources:
        return f"当前环节为“{case.get_status_display()}”，不能{transition.action.label}"
    if not may_take_steps(user, case):
        return "该纠纷不在您的管辖范围内"
    if user.role not in transition.roles:
        return f"{user.role_label}不能{transition.action.label}"
    # A paused clock is resumed first (the due times move then), so that no case ends or
    # restarts its clock with a pause left open (zongzhi.clock.pauses).
    if transition.action in CLOCK_ENDING_ACTIONS and deadlines.is_paused(case):
        return f"该纠纷已停止计时，请先恢复计时再{transition.action.label}"
    # The lead (主办) takes the handlers' steps and concludes; a joint handler (协办) records
    # its part instead (dispatch.handlers.record_joint_part).
    if (
        transition.assigned_only
        and user.role in HANDLER_ROLES
        and not handlers.holds_case(case, user, lead_only=True)
    ):
        if handlers.holds_case(case, user):
            return f"只有主办单位或主办人可以{transition.action.label}，协办方请填写协办意见"
        return "该纠纷未交办给您或您的单位"
    return None


@transaction.atomic
def transition(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    note: str = "",
    outcome: Outcome | None = None,
    unit: Unit | None = None,
    assignee: User | None = None,
    joint_units: Sequence[Unit] = (),
    joint_people: Sequence[User] = (),
    actor_name: str = "当事人",
    now: datetime | None = None,
) -> CaseEvent:
    """Take `action` on `case` and write its timeline event; the one way a case changes step.

    `actor` None is reserved for the citizen's own requests (reopen) made through intake,
    which checks the citizen's identity itself. Raises InvalidTransition, NotPermitted or
    InvalidInput and changes nothing when the action cannot be taken.
    """
    now = now or timezone.now()
    rule = TRANSITIONS[Action(action)]
    # Lock the row and re-read it: the page the user acted from may be stale.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in rule.sources:
        raise InvalidTransition(
            f"当前环节为“{locked.get_status_display()}”，不能{rule.action.label}"
        )
    if rule.action in CLOCK_ENDING_ACTIONS and deadlines.is_paused(locked):
        raise InvalidTransition(f"该纠纷已停止计时，请先恢复计时再{rule.action.label}")
    if actor is not None:
        refusal = _refusal(locked, rule, actor)
        if refusal:
            raise NotPermitted(refusal)
    elif rule.action != Action.REOPEN:
        raise NotPermitted("该操作须由工作人员办理")
    note = note.strip()
    if rule.note_required and not note:
        raise InvalidInput(f"{rule.action.label}须填写说明", field="note")

    from_status = locked.status
    handlers_given = {
        "unit": unit,
        "assignee": assignee,
        "joint_units": joint_units,
        "joint_people": joint_people,
    }
    data = _apply(
        locked, rule, actor=actor, outcome=outcome, handlers_given=handlers_given, now=now
    )
    locked.status = rule.target
    if rule.target == Status.REPORT and locked.reported_at is None:
        _start_clock(locked, now)  # a grid worker's screened lead is reported: 13715 starts
    if rule.reaches is not None:
        setattr(locked, deadlines.DONE_FIELD[rule.reaches], now)
    deadlines.refresh_clock(locked)
    locked.save()
    event = record_event(
        locked,
        rule.action.value,
        actor=actor,
        label=actor_label(actor, actor_name),
        at=now,
        from_status=from_status,
        note=note,
        data=data,
    )
    # Hand the caller's instance the new state too.
    for model_field in Case._meta.concrete_fields:
        setattr(case, model_field.attname, getattr(locked, model_field.attname))
    return event


def _apply(case, rule, *, actor, outcome, handlers_given, now) -> dict:
    """The action's own effects beyond the step change; returns the event's details."""
    action = rule.action
    if action == Action.ASSIGN:
        return handlers.assign_handlers(case, actor=actor, now=now, **handlers_given)
    if action == Action.SEND_BACK:
        case.assignments.filter(ended_at__isnull=True).update(ended_at=now)
        return {}
    if action == Action.CONCLUDE:
        if case.parties_met_at is None:
            raise InvalidTransition("尚未与当事人见面调处，不能化解办结")
        if outcome not in (Outcome.RESOLVED, Outcome.UNRESOLVED):
            raise InvalidInput("请选择办理结果：实质化解或办结未化解", field="outcome")
        case.outcome = outcome
        deadlines.record_conclusion(case, Outcome(outcome), now)
        return {"outcome": outcome.value}
    if action == Action.REJECT:
        case.outcome = Outcome.REJECTED
        case.closed_at = now
        return {"outcome": Outcome.REJECTED.value}
    if action == Action.CLOSE:
        case.assignments.filter(ended_at__isnull=True).update(ended_at=now)
        return {}
    if action == Action.REOPEN:
        # A relapse: the resolution no longer holds. Resolve and close again, on a fresh
        # clock for those two milestones; the history stays on the timeline.
        previous = {"outcome": case.outcome, "reopen_count": case.reopen_count + 1}
        if case.closed_at is not None:
            previous["restored"] = _restore_handlers(case, closed_at=case.closed_at, now=now)
        case.outcome = Outcome.NONE
        deadlines.clear_conclusion(case)
        case.closed_at = None
        case.reopen_count += 1
        case.clock_version += 1  # resolve and close run on a fresh clock: a new version
        due = deadlines.compute_due_times(now, place=case.place)
        case.resolve_due_at, case.close_due_at = due.resolve, due.close
        if case.parties_met_at is None:
            case.parties_met_at = now
        return previous
    return {}


def _restore_handlers(case: Case, *, closed_at: datetime, now: datetime) -> list[str]:
    """Give a reopened case back to the handlers whose assignments its closing ended;
    returns their names for the timeline."""
    restored = []
    for ended in case.assignments.filter(ended_at=closed_at).select_related("unit", "assignee"):
        again = CaseAssignment.objects.create(
            case=case,
            kind=ended.kind,
            unit=ended.unit,
            assignee=ended.assignee,
            assigned_by=None,
            assigned_at=now,
        )
        restored.append(str(again))
    return restored


@transaction.atomic
def change_risk(
    case: Case, risk: RiskGrade, *, actor: User, note: str, now: datetime | None = None
) -> CaseEvent:
    """Re-judge the risk grade (研判); the reason is required and kept on the timeline."""
    now = now or timezone.now()
    if not may_take_steps(actor, case):
        raise NotPermitted("该纠纷不在您的管辖范围内")
    # Lock and re-read: the page may be stale (the case closed, the risk changed meanwhile).
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if actor.role not in RISK_JUDGING_ROLES:
        raise NotPermitted(f"{actor.role_label}不能调整风险等级")
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能调整风险等级")
    risk = RiskGrade(risk)
    if risk == locked.risk:
        raise InvalidInput("风险等级未改变", field="risk")
    if not note.strip():
        raise InvalidInput("调整风险等级须填写理由", field="note")
    previous = locked.risk
    fields = apply_risk(locked, risk, now)
    locked.save(update_fields=fields)
    for name in fields:
        setattr(case, name, getattr(locked, name))
    event = record_event(
        locked,
        "risk_changed",
        actor=actor,
        label=actor_label(actor),
        at=now,
        from_status=locked.status,
        note=note.strip(),
        data={"from": previous, "to": risk.value},
        is_public=False,
    )
    key_cases.check_case(locked, now=now)  # raised to high: 一案三交
    return event


def apply_risk(locked: Case, risk: RiskGrade, now: datetime) -> list[str]:
    """Set the risk grade of a case locked by the caller, with what follows from it, and
    return the fields to save (the caller writes the timeline event).

    Raised to high: the unmet accept/meet milestones run around the clock from now (never
    later than before) and, the case becoming urgent, its clock starts a new version (the
    escalation sweep acts afresh); lowering keeps the due times. The red time follows."""
    became_urgent = risk == RiskGrade.HIGH and not deadlines.is_urgent(locked)
    locked.risk = risk
    updates = deadlines.urgent_due_updates(locked, now) if deadlines.is_urgent(locked) else {}
    for name, value in updates.items():
        setattr(locked, name, value)
    fields = ["risk", *updates]
    if became_urgent:
        locked.clock_version += 1
        fields.append("clock_version")
    deadlines.refresh_clock(locked)
    return [*fields, *deadlines.CLOCK_FIELDS, "updated_at"]


@files.discarding_staged_on_error
@transaction.atomic
def add_attachment(
    case: Case, upload: UploadedFile, *, actor: User | None, now: datetime | None = None
) -> CaseAttachment:
    """Store a file on the case (validated by the caller) and note it on the timeline.

    The bytes are staged and move to their place when the transaction commits; a failure
    deletes them (see cases.files)."""
    now = now or timezone.now()
    if actor is not None and not may_work_on(actor, case):
        raise NotPermitted("该纠纷不在您的管辖范围内")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    content_type = getattr(upload, "content_type", "") or "application/octet-stream"
    name = files.stage(upload, files.final_name(case, content_type))
    attachment = CaseAttachment.objects.create(
        case=case,
        file=name,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    record_event(
        case,
        "attachment_added",
        actor=actor,
        label=actor_label(actor, "当事人"),
        at=now,
        from_status=case.status,
        data={"attachment": attachment.pk, "name": attachment.original_name},
        is_public=False,
    )
    return attachment


@transaction.atomic
def add_comment(case: Case, text: str, *, actor: User, now: datetime | None = None) -> CaseEvent:
    """A working note on the timeline (not shown to citizens)."""
    if not may_work_on(actor, case):
        raise NotPermitted("该纠纷不在您的管辖范围内")
    if not text.strip():
        raise InvalidInput("备注内容不能为空", field="note")
    return record_event(
        case,
        "comment",
        actor=actor,
        label=actor_label(actor),
        at=now or timezone.now(),
        from_status=case.status,
        note=text.strip(),
        is_public=False,
    )
