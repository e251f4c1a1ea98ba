"""Moves of a case between centres (提级, 下交, 转办, 退回).

STUB written by the ROUTING part so that routing can call the one entry point before the
MOVES part is merged: the lead keeps the MOVES version of this file. It only changes the
holding centre and writes an internal timeline event; no sign-for, no CaseMove row.
"""

from django.db import transaction
from django.utils import timezone

from zongzhi.cases.models import Case
from zongzhi.places.models import Place

ESCALATE = "escalate"  # 提级
HAND_DOWN = "hand_down"  # 下交
MOVE_LABELS = {ESCALATE: "提级", HAND_DOWN: "下交"}


@transaction.atomic
def move_to_centre(case: Case, target_place: Place, kind: str, *, actor, reason: str, unit=None):
    """STUB: hand `case` to the centre of `target_place` (the MOVES part replaces it)."""
    from zongzhi.cases.services import actor_label, record_event

    locked = Case.objects.select_for_update().get(pk=case.pk)
    previous = locked.holding_place
    locked.holding_place = case.holding_place = target_place
    locked.save(update_fields=["holding_place", "updated_at"])
    record_event(
        locked,
        f"move_{kind}",
        actor=actor,
        label=actor_label(actor),
        at=timezone.now(),
        from_status=locked.status,
        note=reason,
        data={"from": previous.pk if previous else None, "to": target_place.pk},
        is_public=False,
    )
    return None
