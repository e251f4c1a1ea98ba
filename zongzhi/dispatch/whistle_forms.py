"""Forms of 吹哨报到 on the case page: the whistle (many departments at once) and the two
reports of a called unit. The choices are dispatch.whistles' (callable units, grid heads);
one message refuses a choice whatever the reason."""

from django import forms

from zongzhi.cases.models import Case
from zongzhi.dispatch import whistles
from zongzhi.dispatch.joint_call import SeatFill
from zongzhi.lib.forms import CleanInputMixin, StrictDateField, StrictIntegerField


class WhistleForm(CleanInputMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": whistles.UNIT_REFUSED,
            "invalid_pk_value": whistles.UNIT_REFUSED,
        },
    )
    grid_heads = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": whistles.GRID_HEAD_REFUSED,
            "invalid_pk_value": whistles.GRID_HEAD_REFUSED,
        },
    )
    note = forms.CharField(required=False, max_length=whistles.NOTE_MAX)
    report_in_hours = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=whistles.REPORT_IN_HOURS_MAX,
        error_messages={
            "invalid": "报到时限应为整数小时",
            "min_value": f"报到时限应为1至{whistles.REPORT_IN_HOURS_MAX}小时",
            "max_value": f"报到时限应为1至{whistles.REPORT_IN_HOURS_MAX}小时",
        },
    )
    report_back_by = StrictDateField(
        required=False, error_messages={"invalid": "反馈日期格式应为 YYYY-MM-DD"}
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = whistles.callable_units(case)
        self.fields["grid_heads"].queryset = whistles.grid_heads(case)

    def calls(self, fills: list[SeatFill]) -> list[whistles.Call]:
        """The chosen units and grid heads, each with the 多长联调 seat it fills, if any."""
        seat_of = {("unit", f.unit.pk): f.seat.key for f in fills if f.unit is not None}
        seat_of |= {("person", f.person.pk): f.seat.key for f in fills if f.person is not None}
        data = self.cleaned_data
        return [
            whistles.Call(unit=u, seat=seat_of.get(("unit", u.pk), "")) for u in data["units"]
        ] + [
            whistles.Call(person=p, seat=seat_of.get(("person", p.pk), ""))
            for p in data["grid_heads"]
        ]


class ReportForm(CleanInputMixin, forms.Form):
    """报到 (note optional) or 反馈 (result required, checked by the service)."""

    sub_task = StrictIntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            key: "所选吹哨任务不存在" for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    note = forms.CharField(required=False, max_length=whistles.NOTE_MAX)
