"""Moves of a case between centres: the one way the holding centre changes.

- 提级 (escalate): up to the parent centre of the holding centre (kept apart from the nine-step
  上报, which is a step of the workflow, not a move between centres).
- 下交 (delegate): down to a centre below the holding centre that can act, i.e. one on the
  path from the holding centre to the case's place.
- 转办 (transfer): to a unit that may be given the case (dispatch.eligibility). The unit's
  centre becomes the holding centre when the move is signed for, and the unit is named on the
  move as the handler the sender intends; the receiving centre then gives it the case
  through the ordinary 交办 (the unit's members may sign for it themselves).
- 退回 (return): back to the centre the case came from, with a reason.

Every move is pending until the receiving centre signs for it (签收, due one working day
after the move) or sends it back with a reason. `Case.holding_place` changes at signing only:
until then the sender still holds the case and answers for it. After two send-backs the
superior centre (the parent centre of the holding centre) designates (指定) who takes it; a
designated centre must sign. No move touches the 13715 due times.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zongzhi.accounts.models import Role, Unit, User
from zongzhi.cases import deadlines
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.services import actor_label, record_event
from zongzhi.dispatch import eligibility
from zongzhi.dispatch.centres import is_centre, nearest_centre, parent_centre
from zongzhi.dispatch.models.moves import CaseMove, MoveKind, MoveState
from zongzhi.places.models import Level, Place

# Who moves a case, signs for it, sends it back and designates: a centre's intake staff.
MOVING_ROLES = frozenset({Role.WINDOW_CLERK, Role.CENTRE_LEADER, Role.ADMINISTRATOR})
# Send-backs after which the superior centre designates who takes the case.
SEND_BACKS_BEFORE_DESIGNATION = 2
SIGN_FOR_WORKING_DAYS = 1
# The public event written when a centre (or a unit) takes a case, by the taker's level.
TAKEN_KINDS = {
    Level.CITY: "taken_city",
    Level.COUNTY: "taken_county",
    Level.TOWNSHIP: "taken_township",
    Level.VILLAGE: "taken_village",
}
TAKEN_BY_UNIT = "taken_unit"


def superior_centre(case: Case) -> Place:
    """The centre that designates after two send-backs: the holding centre's parent centre
    (the holding centre itself when it has none above it)."""
    return parent_centre(case.holding_place) or case.holding_place


def delegation_targets(case: Case) -> list[Place]:
    """Centres below the holding centre that can act: those on the path down to the case's
    place (ancestor-or-self of it), nearest first."""
    holding = case.holding_place
    codes = case.place_path.rstrip("/").split("/")
    below = Place.objects.filter(code__in=codes, path__under=holding.path).exclude(pk=holding.pk)
    return [p for p in below.order_by("level") if is_centre(p)]


def designation_targets(case: Case) -> list[Place]:
    """Centres the superior centre may designate: itself and the centres below it on the path
    to the case's place."""
    superior = superior_centre(case)
    codes = case.place_path.rstrip("/").split("/")
    found = Place.objects.filter(code__in=codes, path__under=superior.path).order_by("level")
    return [p for p in found if is_centre(p)]


def came_from(case: Case) -> Place | None:
    """The centre the case came from: the sender of the signed move that brought it to its
    holding centre (None when it was registered there)."""
    move = (
        case.moves.filter(state=MoveState.SIGNED, to_place_id=case.holding_place_id)
        .exclude(from_place_id=case.holding_place_id)
        .order_by("-answered_at", "-id")
        .first()
    )
    return move.from_place if move is not None else None


def pending_move(case: Case) -> CaseMove | None:
    return case.moves.filter(state=MoveState.PENDING).select_related("to_place", "unit").first()


def send_backs_since_designation(case: Case) -> int:
    """Send-backs of the case since it was last designated (since registration if never)."""
    last = case.moves.filter(kind=MoveKind.DESIGNATE).order_by("-id").first()
    sent_back = case.moves.filter(state=MoveState.SENT_BACK)
    if last is not None:
        sent_back = sent_back.filter(id__gt=last.pk)
    return sent_back.count()


def awaiting_designation(case: Case) -> bool:
    """Whether the superior centre must now designate who takes the case."""
    return send_backs_since_designation(case) >= SEND_BACKS_BEFORE_DESIGNATION


def is_centre_staff(user: User, place: Place) -> bool:
    """An intake account (window clerk, centre leader, administrator) of `place`'s centre."""
    return user.works_in_an_area and user.role in MOVING_ROLES and user.place_id == place.pk


def may_answer(user: User, move: CaseMove) -> bool:
    """Whether `user` may sign for `move` or send it back: the receiving centre's intake
    staff, or for a 转办 also the members of the unit it names."""
    if is_centre_staff(user, move.to_place):
        return True
    return (
        move.kind == MoveKind.TRANSFER
        and move.unit_id is not None
        and user.is_active
        and user.unit_id == move.unit_id
    )


def _locked(case: Case) -> Case:
    # Lock the case row only (PostgreSQL refuses FOR UPDATE on an outer join's nullable side).
    locked = Case.objects.select_for_update(of=("self",)).select_related("holding_place")
    return locked.get(pk=case.pk)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"{what}须填写理由", field="reason")
    if len(reason) > 2000:
        raise InvalidInput("理由不能超过2000字", field="reason")
    return reason


def _target(case: Case, target_place: Place | None, kind: MoveKind, unit: Unit | None) -> Place:
    """The receiving centre of a move of `kind`, checked; raises InvalidInput otherwise."""
    holding = case.holding_place
    if kind == MoveKind.ESCALATE:
        expected = parent_centre(holding)
        if expected is None:
            raise InvalidTransition("已是最高一级综治中心，不能再提级")
    elif kind == MoveKind.DELEGATE:
        targets = delegation_targets(case)
        if target_place is None or target_place not in targets:
            raise InvalidInput("请选择本中心以下、纠纷所在地的综治中心", field="target")
        expected = target_place
    elif kind == MoveKind.TRANSFER:
        if unit is None or not unit.is_active or not eligibility.may_take_unit(case, unit):
            raise InvalidInput("所选单位不能承办此纠纷", field="unit")
        expected = nearest_centre(unit.place)
        # The receiving centre must see the case to sign for it.
        if not expected.contains(case.place_path):
            raise InvalidInput("所选单位不能承办此纠纷", field="unit")
    elif kind == MoveKind.RETURN:
        expected = came_from(case)
        if expected is None:
            raise InvalidTransition("该纠纷不是从其他中心移交来的，无从退回")
    else:
        raise InvalidInput("移交方式无效", field="kind")
    if target_place is not None and target_place != expected:
        raise InvalidInput("接收中心与移交方式不符", field="target")
    if kind != MoveKind.TRANSFER and expected == holding:
        raise InvalidInput("接收中心就是当前承办中心", field="target")
    return expected


def _event(case: Case, kind: str, actor: User | None, at: datetime, **fields) -> CaseEvent:
    return record_event(
        case, kind, actor=actor, label=actor_label(actor), at=at, from_status=case.status, **fields
    )


def _move_data(move: CaseMove) -> dict:
    return {
        "move": move.pk,
        "kind": move.kind,
        "from": move.from_place.code,
        "to": move.to_place.code,
        "unit": move.unit.name if move.unit_id else "",
    }


@transaction.atomic
def move_to_centre(
    case: Case,
    target_place: Place | None,
    kind: MoveKind | str,
    *,
    actor: User,
    reason: str,
    unit: Unit | None = None,
    now: datetime | None = None,
) -> CaseMove:
    """Move `case` from its holding centre (提级, 下交, 转办 or 退回): the one entry point.

    The move is pending until the receiving centre signs for it (within one working day) or
    sends it back; the case stays with the holding centre until then. `target_place` may be
    None for 提级 and 退回 (the target follows from the case) and for 转办 (the unit's centre).
    Raises NotPermitted, InvalidTransition or InvalidInput and changes nothing when refused.
    """
    now = now or timezone.now()
    try:
        kind = MoveKind(kind)
    except ValueError:
        raise InvalidInput("移交方式无效", field="kind") from None
    if kind == MoveKind.DESIGNATE:
        raise InvalidInput("指定承办请由上级中心办理", field="kind")
    locked = _locked(case)
    if not is_centre_staff(actor, locked.holding_place):
        raise NotPermitted("只有承办中心的受理窗口、中心主任或管理员可以移交")
    if not deadlines.is_open(locked):
        raise InvalidTransition("已办结的纠纷不能移交")
    if pending_move(locked) is not None:
        raise InvalidTransition("该纠纷已有待签收的移交，请等对方签收或退回")
    if awaiting_designation(locked):
        raise InvalidTransition("该纠纷已两次被退回，须由上级中心指定承办")
    reason = _reason(reason, kind.label)
    target = _target(locked, target_place, kind, unit)
    move = CaseMove.objects.create(
        case=locked,
        kind=kind,
        from_place=locked.holding_place,
        to_place=target,
        unit=unit if kind == MoveKind.TRANSFER else None,
        reason=reason,
        moved_by=actor,
        moved_at=now,
        sign_due_at=deadlines.current_calendar().add_days(now, SIGN_FOR_WORKING_DAYS),
    )
    data = _move_data(move)
    _event(locked, f"move_{kind.value}", actor, now, note=reason, data=data, is_public=False)
    return move


def _locked_move(move: CaseMove) -> tuple[Case, CaseMove]:
    case = _locked(move.case)
    locked = CaseMove.objects.select_related("from_place", "to_place", "unit").get(pk=move.pk)
    if locked.state != MoveState.PENDING:
        raise InvalidTransition(f"该移交已{locked.get_state_display()}")
    return case, locked


@transaction.atomic
def sign_for(move: CaseMove, actor: User, *, now: datetime | None = None) -> CaseMove:
    """The receiving centre signs for a pending move (签收): it now holds the case.

    Writes the signature (internal) and a public event with a neutral label such as
    "已转县级综治中心办理" (the citizen's timeline names no staff)."""
    now = now or timezone.now()
    case, locked = _locked_move(move)
    if not may_answer(actor, locked):
        raise NotPermitted("只有接收中心的受理窗口、中心主任或管理员可以签收")
    locked.state = MoveState.SIGNED
    locked.answered_by, locked.answered_at = actor, now
    locked.save(update_fields=["state", "answered_by", "answered_at"])
    changed = case.holding_place_id != locked.to_place_id
    case.holding_place = locked.to_place
    case.save(update_fields=["holding_place", "updated_at"])
    data = _move_data(locked)
    _event(case, "move_signed", actor, now, data=data, is_public=False)
    if locked.kind == MoveKind.TRANSFER:
        _event(case, TAKEN_BY_UNIT, actor, now, data=data)
    elif changed:
        _event(case, TAKEN_KINDS[Level(locked.to_place.level)], actor, now, data=data)
    move.state, move.answered_by, move.answered_at = locked.state, actor, now
    return locked


@transaction.atomic
def send_back(move: CaseMove, actor: User, reason: str, *, now: datetime | None = None) -> CaseMove:
    """The receiving centre sends a pending move back with a reason (拒收退回); the case stays
    with the sending centre. After the second send-back the superior centre designates."""
    now = now or timezone.now()
    case, locked = _locked_move(move)
    if not may_answer(actor, locked):
        raise NotPermitted("只有接收中心的受理窗口、中心主任或管理员可以退回")
    if locked.binding:
        raise InvalidTransition("上级中心指定承办的纠纷须签收，不能退回")
    reason = _reason(reason, "退回")
    locked.state = MoveState.SENT_BACK
    locked.answered_by, locked.answered_at = actor, now
    locked.send_back_reason = reason
    locked.save(update_fields=["state", "answered_by", "answered_at", "send_back_reason"])
    data = _move_data(locked) | {"send_backs": send_backs_since_designation(case)}
    data["awaiting_designation"] = data["send_backs"] >= SEND_BACKS_BEFORE_DESIGNATION
    _event(case, "move_sent_back", actor, now, note=reason, data=data, is_public=False)
    move.state = locked.state
    return locked


@transaction.atomic
def designate(
    case: Case, target_place: Place, actor: User, reason: str, *, now: datetime | None = None
) -> CaseMove:
    """The superior centre designates who takes a case sent back twice (指定承办).

    The designated centre must sign (no send-back); designating the holding centre itself
    takes effect at once."""
    now = now or timezone.now()
    locked = _locked(case)
    superior = superior_centre(locked)
    if not is_centre_staff(actor, superior):
        raise NotPermitted("只有上级中心的受理窗口、中心主任或管理员可以指定承办")
    if not awaiting_designation(locked):
        raise InvalidTransition("该纠纷未经两次退回，无需指定承办")
    reason = _reason(reason, "指定承办")
    if target_place is None or target_place not in designation_targets(locked):
        raise InvalidInput("请选择本中心或以下、纠纷所在地的综治中心", field="target")
    stays = target_place == locked.holding_place
    move = CaseMove.objects.create(
        case=locked,
        kind=MoveKind.DESIGNATE,
        state=MoveState.SIGNED if stays else MoveState.PENDING,
        from_place=locked.holding_place,
        to_place=target_place,
        reason=reason,
        moved_by=actor,
        moved_at=now,
        sign_due_at=deadlines.current_calendar().add_days(now, SIGN_FOR_WORKING_DAYS),
        binding=True,
        answered_by=actor if stays else None,
        answered_at=now if stays else None,
    )
    data = _move_data(move)
    _event(locked, "move_designate", actor, now, note=reason, data=data, is_public=False)
    return move


@transaction.atomic
def escalate_overdue(case: Case, *, reason: str, now: datetime | None = None) -> CaseMove:
    """提级 by the escalation sweep (zongzhi.clock.sweep), with no user: a pending move to the
    parent centre of the holding centre, `moved_by` None and "系统" on the timeline. The
    parent centre signs for it or sends it back like any other move.

    Raises InvalidTransition (and changes nothing) when no move can be made: the case has
    ended, a move is pending, it awaits designation, or its centre is the top one."""
    now = now or timezone.now()
    locked = _locked(case)
    if not deadlines.is_open(locked):
        raise InvalidTransition("已办结的纠纷不能移交")
    if locked.holding_place is None:
        raise InvalidTransition("该纠纷尚无承办中心")
    if pending_move(locked) is not None:
        raise InvalidTransition("该纠纷已有待签收的移交")
    if awaiting_designation(locked):
        raise InvalidTransition("该纠纷已两次被退回，须由上级中心指定承办")
    target = _target(locked, None, MoveKind.ESCALATE, None)
    move = CaseMove.objects.create(
        case=locked,
        kind=MoveKind.ESCALATE,
        from_place=locked.holding_place,
        to_place=target,
        reason=reason,
        moved_by=None,
        moved_at=now,
        sign_due_at=deadlines.current_calendar().add_days(now, SIGN_FOR_WORKING_DAYS),
    )
    data = _move_data(move) | {"by_sweep": True}
    _event(locked, "move_escalate", None, now, note=reason, data=data, is_public=False)
    return move
