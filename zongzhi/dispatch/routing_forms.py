"""Forms of the routing panel: they parse and check input; the rules stay in
dispatch.routing_services."""

from django import forms

from zongzhi.cases.models import Case
from zongzhi.dispatch import eligibility
from zongzhi.dispatch.models.routing import TARGET_LEVEL_CHOICES
from zongzhi.lib.forms import CleanInputMixin


class AcceptForm(CleanInputMixin, forms.Form):
    # The rule the user saw; the service refuses when the suggestion changed meanwhile.
    rule = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "分流规则编号无效"}
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)


class OverrideForm(CleanInputMixin, forms.Form):
    level = forms.TypedChoiceField(
        label="承办层级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "（不改变承办中心）"), *TARGET_LEVEL_CHOICES],
        error_messages={"invalid_choice": "请选择市、县、乡镇或村级"},
    )
    unit = forms.ModelChoiceField(
        label="承办单位",
        required=False,
        queryset=None,
        error_messages={"invalid_choice": eligibility.UNIT_REFUSED},
    )
    assignee = forms.ModelChoiceField(
        label="承办人",
        required=False,
        queryset=None,
        error_messages={"invalid_choice": eligibility.ASSIGNEE_REFUSED},
    )
    # Whether a reason is given is checked by routing_services.override_route.
    reason = forms.CharField(label="改派理由", required=False, max_length=2000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = eligibility.assignable_units(case)
        self.fields["assignee"].queryset = eligibility.assignable_people(case)
