"""The state machine of a case: which action leads from which steps to which, and who may take it.

Every allowed transition is a row of TRANSITIONS; anything not listed is forbidden. The rows
are data so that the rules can be shown (the case page lists the actions a user may take) and
tested exhaustively.
"""

from dataclasses import dataclass

from django.db import models

from zongzhi.accounts.models import Role
from zongzhi.cases.choices import Milestone, Status

S = Status
LEADERS = frozenset({Role.CENTRE_LEADER, Role.ADMINISTRATOR})
INTAKE = LEADERS | {Role.WINDOW_CLERK}
HANDLERS = LEADERS | {Role.DEPARTMENT_HANDLER, Role.MEDIATOR, Role.GRID_WORKER}


class Action(models.TextChoices):
    SCREEN = "screen", "排查"
    REPORT = "report", "上报"
    ACCEPT = "accept", "受理"
    REJECT = "reject", "不予受理"
    ASSIGN = "assign", "交办"
    SEND_BACK = "send_back", "退回重新研判"
    MEET = "meet", "见面调处"
    STABILISE = "stabilise", "转入稳控"
    # Back from 稳控 to 化解 (before supervision cards, "resume" also left the 督办 step).
    UNSTABILISE = "unstabilise", "解除稳控"
    CONCLUDE = "conclude", "化解办结"
    CLOSE = "close", "回访结案"
    REOPEN = "reopen", "重启"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    # Handler roles may take it only on cases assigned to them or their unit.
    assigned_only: bool = False
    note_required: bool = False
    # The 13715 milestone this transition reaches (its time is recorded on the case).
    reaches: Milestone | None = None


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        Transition(Action.SCREEN, frozenset({S.VISIT}), S.SCREEN, LEADERS | {Role.GRID_WORKER}),
        Transition(Action.REPORT, frozenset({S.SCREEN}), S.REPORT, INTAKE | {Role.GRID_WORKER}),
        Transition(
            Action.ACCEPT, frozenset({S.REPORT}), S.ASSESS, INTAKE, reaches=Milestone.ACCEPT
        ),
        Transition(
            Action.REJECT, frozenset({S.REPORT, S.ASSESS}), S.REJECTED, INTAKE, note_required=True
        ),
        Transition(Action.ASSIGN, frozenset({S.ASSESS}), S.ASSIGN, INTAKE),
        Transition(
            Action.SEND_BACK,
            frozenset({S.ASSIGN}),
            S.ASSESS,
            HANDLERS,
            assigned_only=True,
            note_required=True,
        ),
        Transition(
            Action.MEET,
            frozenset({S.ASSIGN}),
            S.RESOLVE,
            HANDLERS,
            assigned_only=True,
            reaches=Milestone.MEET,
        ),
        Transition(
            Action.STABILISE,
            frozenset({S.RESOLVE}),
            S.STABILISE,
            HANDLERS,
            assigned_only=True,
            note_required=True,
        ),
        Transition(
            Action.UNSTABILISE,
            frozenset({S.STABILISE}),
            S.RESOLVE,
            HANDLERS,
            assigned_only=True,
        ),
        Transition(
            Action.CONCLUDE,
            frozenset({S.RESOLVE, S.STABILISE}),
            S.FOLLOW_UP,
            HANDLERS,
            assigned_only=True,
            note_required=True,
            reaches=Milestone.RESOLVE,
        ),
        Transition(
            Action.CLOSE,
            frozenset({S.FOLLOW_UP}),
            S.CLOSED,
            INTAKE | {Role.MEDIATOR},
            # A mediator closes only the cases assigned to them or their room.
            assigned_only=True,
            note_required=True,
            reaches=Milestone.CLOSE,
        ),
        Transition(
            Action.REOPEN,
            frozenset({S.FOLLOW_UP, S.CLOSED}),
            S.RESOLVE,
            INTAKE,
            note_required=True,
        ),
    ]
}

# Kinds of timeline events that are not transitions.
EVENT_LABELS = {
    "created": "登记",
    "risk_changed": "风险等级调整",
    "attachment_added": "上传附件",
    "comment": "办理备注",
    "citizen_reopen": "当事人反映未解决",
    "rated": "当事人评价",
    # Moves between centres (zongzhi.dispatch.moves): internal, with their reasons ...
    "move_escalate": "提级",
    "move_delegate": "下交",
    "move_transfer": "转办",
    "move_return": "退回原中心",
    "move_signed": "签收",
    "move_sent_back": "拒收退回",
    "move_designate": "上级指定承办",
    # ... and what the citizen reads when a centre takes the case (public, neutral).
    "taken_city": "已转市级综治中心办理",
    "taken_county": "已转县级综治中心办理",
    "taken_township": "已转乡镇（街道）综治中心办理",
    "taken_village": "已转村（社区）综治中心办理",
    "taken_unit": "已转相关部门办理",
    "routing_accepted": "采纳分流建议",
    "routing_overridden": "改派（未采纳分流建议）",
    "joint_added": "增加协办",
    "joint_removed": "移除协办",
    "lead_changed": "更换主办",
    "joint_part": "协办意见",
    # Cross-area joint teams (zongzhi.dispatch.teams): internal.
    "team_created": "组建跨区域专班",
    "team_member_added": "专班增加成员",
    "team_member_removed": "专班移出成员",
    "team_plan_updated": "修改专班工作方案",
    "team_part": "专班成员工作情况",
    # 一案三交 and 一案一策 (zongzhi.dispatch.key_cases, plans): internal.
    "key_case_handed": "列为重点案件（一案三交）",
    "key_duty_done": "一案三交履职",
    "plan_item_added": "一案一策：增加措施",
    "plan_item_done": "一案一策：措施完成",
    # The old 督办 step and its way back (before supervision cards): old timelines still read.
    "supervise": "督办",
    "resume": "继续化解",
    # Supervision cards (zongzhi.dispatch.cards): issued, replied to, closed (销号).
    "card_issued": "督办",
    "card_replied": "督办回复",
    "card_closed": "督办销号",
    # The clock (zongzhi.clock.pauses, clock.extensions): requests, decisions, moves.
    "pause_requested": "申请停止计时",
    "pause_approved": "批准停止计时",
    "pause_refused": "不予停止计时",
    "clock_paused": "停止计时",
    "clock_resumed": "恢复计时",
    "clock_shifted": "时限顺延",
    "extension_requested": "申请延期",
    "extension_approved": "批准延期",
    "extension_refused": "不予延期",
    # 吹哨报到 (zongzhi.dispatch.whistles).
    "whistled": "吹哨（部门报到）",
    "reported_in": "部门报到",
    "reported_back": "部门反馈",
    # The escalation sweep and the risk-signal hook (zongzhi.clock.sweep, clock.escalation).
    "overdue": "时限超期",
    "deadline_overdue": "事项超期",
    "risk_escalated": "超期升级风险等级",
    "risk_signal": "风险信号提级",
}


def event_label(kind: str) -> str:
    if kind in EVENT_LABELS:
        return EVENT_LABELS[kind]
    try:
        return Action(kind).label
    except ValueError:
        return kind


def transitions_from(status: Status) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
