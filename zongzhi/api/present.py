"""Cases turned into the API's output dicts. Personal data leaves here masked, always: party
fields by their own masks, free text (title, description, location, notes) by mask_free_text."""

from datetime import datetime

from zongzhi.cases.choices import Colour, Milestone, Outcome, PartyRole, RiskGrade, Source, Status
from zongzhi.cases.deadlines import colour_of, is_overdue, resolution_of
from zongzhi.cases.durations import due_label
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.services import permitted_actions
from zongzhi.clock.display import milestone_rows
from zongzhi.privacy.masking import (
    mask_address,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
)


def case_summary(case: Case, now: datetime) -> dict:
    colour = Colour(getattr(case, "colour_value", None) or colour_of(case, now))
    return {
        "id": case.pk,
        "number": case.number,
        "title": mask_free_text(case.title),
        "dispute_type": {"code": case.dispute_type.code, "name": case.dispute_type.name},
        "place": {"code": case.place.code, "name": case.place.name},
        "risk": case.risk,
        "risk_label": RiskGrade(case.risk).label,
        "status": case.status,
        "status_label": Status(case.status).label,
        "colour": colour,
        "colour_label": colour.label,
        "source": case.source,
        "source_label": Source(case.source).label,
        "created_at": case.created_at,
        "next_due_at": case.next_due_at,
        "next_due_label": due_label(case.next_due_at, now),
        "overdue": is_overdue(case, now),
    }


def party_out(party) -> dict:
    return {
        "role": party.role,
        "role_label": PartyRole(party.role).label,
        "name": mask_name(party.name),
        "phone": mask_phone(party.phone),
        "id_number": mask_id_number(party.id_number),
        "address": mask_address(party.address),
    }


def case_detail(case: Case, user, now: datetime) -> dict:
    assignments = case.assignments.filter(ended_at__isnull=True).select_related("unit", "assignee")
    resolution = resolution_of(case)
    return {
        **case_summary(case, now),
        "description": mask_free_text(case.description),
        "location_text": mask_free_text(case.location_text),
        "latitude": case.latitude,
        "longitude": case.longitude,
        "people_count": case.people_count,
        "outcome": case.outcome,
        "outcome_label": Outcome(case.outcome).label if case.outcome else "办理中",
        "reopen_count": case.reopen_count,
        "concluded_at": resolution.concluded_at,
        "resolved_at": resolution.resolved_at,
        "ratings": [
            {"round": r.round, "score": r.score, "comment": r.comment, "rated_at": r.created_at}
            for r in case.ratings.order_by("round", "id")
        ],
        "parties": [party_out(p) for p in case.parties.all()],
        "assignments": [
            {
                "kind": a.kind,
                "unit": str(a.unit) if a.unit_id else None,
                "assignee": str(a.assignee) if a.assignee_id else None,
                "assigned_at": a.assigned_at,
            }
            for a in assignments
        ],
        "milestones": [
            {
                **row,
                "milestone": row["milestone"].value,
                "label": Milestone(row["milestone"]).label,
                "due_label": "" if row["done"] or row["paused"] else due_label(row["due"], now),
                "extended_days": row["extension"].days_granted if row["extension"] else None,
            }
            for row in milestone_rows(case, now)
        ],
        **clock_state(case),
        "actions": actions_out(case, user),
    }


def clock_state(case: Case) -> dict:
    """Whether the clock is paused (停止计时), since when and why."""
    from zongzhi.clock.pauses import open_pause

    pause = open_pause(case) if case.clock_paused_at else None
    return {
        "clock_paused_at": case.clock_paused_at,
        "clock_pause_reason": mask_free_text(pause.reason) if pause else "",
    }


def actions_out(case: Case, user) -> list[dict]:
    return [
        {"action": t.action, "label": t.action.label, "note_required": t.note_required}
        for t in permitted_actions(case, user)
    ]


def event_out(event: CaseEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "label": event.label,
        "actor": event.actor_label,
        "at": event.created_at,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": mask_free_text(event.note),
        "is_public": event.is_public,
    }
