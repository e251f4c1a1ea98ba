from django import template
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.clock.calendar import missing_years

register = template.Library()


@register.inclusion_tag("clock/_calendar_reminder.html", takes_context=True)
def calendar_reminder(context, admin_site: bool = False) -> dict:
    """For administrators: the years whose holiday arrangement is not yet entered (from
    November for next year); nothing for anyone else."""
    user = context.get("user")
    is_admin = user is not None and (
        user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR
    )
    if not is_admin:
        return {"years": []}
    return {"years": missing_years(timezone.localdate()), "admin_site": admin_site}


@register.filter
def calendar_note(due, start=None) -> str:
    """ "（日历未确认，按周末计算）" after a due time whose period (from `start`) crosses a year
    an administrator has not confirmed (clock.display); "" otherwise."""
    from zongzhi.clock.display import due_note

    return due_note(start, due) if due else ""


@register.filter
def due_label(due) -> str:
    """A due time as people write it: the end of a day as "…-03 24:00" (calendar.due_label)."""
    from zongzhi.clock.calendar import due_label as label

    return label(due)
