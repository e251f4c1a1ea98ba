"""Forms of the moves panel: they parse the input; the rules stay in dispatch.moves."""

from django import forms

from zongzhi.accounts.models import Unit
from zongzhi.dispatch.models.moves import MoveKind
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.models import Place

REASON_REQUIRED = {"required": "请填写理由"}
MOVE_KINDS = [(k.value, k.label) for k in MoveKind if k != MoveKind.DESIGNATE]


class MoveForm(CleanInputMixin, forms.Form):
    kind = forms.ChoiceField(
        label="移交方式", choices=MOVE_KINDS, error_messages={"invalid_choice": "移交方式无效"}
    )
    target = forms.ModelChoiceField(
        label="接收中心",
        required=False,
        queryset=Place.objects.all(),
        error_messages={"invalid_choice": "所选中心不存在"},
    )
    unit = forms.ModelChoiceField(
        label="转办单位",
        required=False,
        queryset=Unit.objects.all(),
        error_messages={"invalid_choice": "所选单位不能承办此纠纷"},
    )
    reason = forms.CharField(label="理由", max_length=2000, error_messages=REASON_REQUIRED)


class SendBackForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(label="退回理由", max_length=2000, error_messages=REASON_REQUIRED)


class DesignateForm(CleanInputMixin, forms.Form):
    target = forms.ModelChoiceField(
        label="指定承办中心",
        queryset=Place.objects.all(),
        error_messages={"invalid_choice": "所选中心不存在", "required": "请选择承办中心"},
    )
    reason = forms.CharField(label="理由", max_length=2000, error_messages=REASON_REQUIRED)
