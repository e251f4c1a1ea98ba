"""The demo's cases go through dispatch as a centre's would: routed, moved, signed for,
sometimes sent back once, and handled by a lead with joint handlers."""

import random
from datetime import datetime, timedelta

from zongzhi.accounts.models import Unit, User
from zongzhi.cases.models import Case
from zongzhi.demo.staff import Centre, Staff
from zongzhi.dispatch import eligibility, moves, routing, routing_services
from zongzhi.dispatch.centres import parent_centre
from zongzhi.dispatch.handlers import record_joint_part
from zongzhi.dispatch.models.moves import MoveKind

OVERRIDE_REASONS = (
    "结合走访情况，由该级中心承办更利于化解",
    "当事人均在该辖区，就近化解",
    "案情较复杂，需该级中心统筹相关部门",
)
SEND_BACK_REASONS = ("材料不全，请补充当事人情况后再移交", "不属于本中心管辖范围，请重新研判")
RESEND_REASONS = ("已补充材料，再次移交", "经核实属该中心管辖，再次移交")
DESIGNATE_REASON = "经上级中心协调，指定由该中心承办"
ONWARD_REASONS = ("按分级处置要求继续移交", "经研判需由上级中心统筹化解")
JOINT_NOTES = (
    "已派员参加调解，提供相关政策依据",
    "已核实劳动关系和欠薪金额，配合督促支付",
    "已约谈相关当事人，做好法治宣传",
)
# Jointly handled cases get one of these units of the centre as 协办, when it has them.
JOINT_KEYS = ("police", "police-station", "justice-office", "hrss", "committee", "women", "court")


class Dispatcher:
    """Routing, moves and joint handling for one demo load."""

    def __init__(self, staff: Staff, rng: random.Random, latest: datetime):
        self.staff = staff
        self.rng = rng
        self.latest = latest

    def _later(self, at: datetime, low: float, high: float) -> datetime | None:
        """`at` plus a few hours, or None when that would lie in the future."""
        then = at + timedelta(hours=self.rng.uniform(low, high))
        return then if then <= self.latest else None

    def route(self, case: Case, centre: Centre, at: datetime) -> datetime | None:
        """Bring `case` to `centre`, the one the plan chose: the holding centre's clerk
        accepts the routing suggestion when it names that centre or overrides it; each
        receiving centre signs (about one move in twelve is sent back once first). Returns
        the time the case arrived, or None when it is still on its way (a pending move)."""
        holding = self.staff.centres.get(case.holding_place_id)
        if holding is None or holding.place.pk == centre.place.pk:
            return at
        suggestion = routing.suggest(case)
        if suggestion is not None and suggestion.place.pk == centre.place.pk:
            routing_services.accept_suggestion(
                case, actor=holding.clerk, rule_id=suggestion.rule.pk, now=at
            )
        else:
            routing_services.override_route(
                case,
                actor=holding.clerk,
                level=centre.place.level,
                reason=self.rng.choice(OVERRIDE_REASONS),
                now=at,
            )
        for _ in range(6):
            move = moves.pending_move(case)
            if move is None:
                break
            receiver = self.staff.centres[move.to_place_id]
            if self.latest - at < timedelta(hours=12) and self.rng.random() < 0.5:
                return None  # moved this morning: still waiting to be signed for (待签收)
            at = self._later(at, 0.5, 5)
            if at is None:
                return None
            if not move.binding and self.rng.random() < 0.08:
                moves.send_back(move, receiver.clerk, self.rng.choice(SEND_BACK_REASONS), now=at)
                sender = self.staff.centres[move.from_place_id]
                at = self._later(at, 1, 8)
                if at is None:
                    return None
                if moves.awaiting_designation(case):
                    # Sent back twice: the superior centre says who takes it (指定).
                    superior = self.staff.centres[moves.superior_centre(case).pk]
                    moves.designate(case, move.to_place, superior.clerk, DESIGNATE_REASON, now=at)
                    continue
                moves.move_to_centre(
                    case,
                    move.to_place,
                    move.kind,
                    actor=sender.clerk,
                    reason=self.rng.choice(RESEND_REASONS),
                    now=at,
                )
                continue
            moves.sign_for(move, receiver.clerk, now=at)
            case.refresh_from_db()
            if case.holding_place_id == centre.place.pk:
                return at
            current = self.staff.centres[case.holding_place_id]
            going_up = centre.place.level < current.place.level
            target = parent_centre(current.place) if going_up else centre.place
            at = self._later(at, 0.5, 4)
            if at is None:
                return None
            moves.move_to_centre(
                case,
                target,
                MoveKind.ESCALATE if going_up else MoveKind.DELEGATE,
                actor=current.clerk,
                reason=self.rng.choice(ONWARD_REASONS),
                now=at,
            )
        case.refresh_from_db()
        return at if case.holding_place_id == centre.place.pk else None

    def joint_units(self, case: Case, centre: Centre, lead: Unit) -> list[Unit]:
        """One joint unit for about a third of medium and high-risk cases."""
        if case.risk == "low" or self.rng.random() > 0.35:
            return []
        keys = [k for k in JOINT_KEYS if k in centre.units and centre.units[k].pk != lead.pk]
        units = [centre.units[k] for k in keys if eligibility.may_take_unit(case, centre.units[k])]
        return [self.rng.choice(units)] if units else []

    def joint_part(self, case: Case, centre: Centre, at: datetime) -> None:
        """The joint handler writes its part (协办意见)."""
        for assignment in case.assignments.filter(kind="joint", ended_at__isnull=True):
            member = self._member(centre, assignment.unit)
            if member is not None:
                record_joint_part(case, member, self.rng.choice(JOINT_NOTES), now=at)

    @staticmethod
    def _member(centre: Centre, unit: Unit | None) -> User | None:
        for key, candidate in centre.units.items():
            if unit is not None and candidate.pk == unit.pk:
                return centre.members.get(key)
        return None

    def leave_for_signing(self, township, count: int = 3) -> None:
        """Leave a few of the township's newest cases at 上报 or 研判 moved one centre up and
        not yet signed for, so that the README's clerks find something 待签收."""
        from zongzhi.cases.choices import Status

        waiting = (
            Case.objects.filter(
                place_path__startswith=township.path,
                status__in=[Status.REPORT, Status.ASSESS],
                holding_place__level__gte=township.level,
            )
            .exclude(moves__state="pending")
            .order_by("-created_at")[:count]
        )
        for case in waiting:
            holding = self.staff.centres[case.holding_place_id]
            moves.move_to_centre(
                case,
                parent_centre(holding.place),
                MoveKind.ESCALATE,
                actor=holding.clerk,
                reason="涉及人数较多，需上级中心统筹相关部门化解",
                now=max(case.created_at, self.latest - timedelta(hours=2)),
            )
