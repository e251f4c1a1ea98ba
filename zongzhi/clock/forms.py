"""The case page's clock forms: ask to pause or extend, decide, resume."""

from django import forms

from zongzhi.lib.forms import CleanInputMixin, StrictIntegerField


class ReasonForm(CleanInputMixin, forms.Form):
    """A request's reason (the service says when it is missing) or a resume's note."""

    reason = forms.CharField(required=False, max_length=2000)


class ExtensionForm(CleanInputMixin, forms.Form):
    days = StrictIntegerField(
        min_value=1,
        max_value=15,
        error_messages={
            "required": "请填写延期天数",
            "invalid": "延期天数应为整数",
            "min_value": "延期天数至少为1个工作日",
            "max_value": "延期天数不能超过该时限本身的长度",
        },
    )
    reason = forms.CharField(required=False, max_length=2000)


CHOOSE = "请选择批准或不予批准"


class DecisionForm(CleanInputMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "批准"), ("refuse", "不予批准")],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    note = forms.CharField(required=False, max_length=2000)
    days = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=15,
        error_messages={
            "invalid": "批准天数应为整数",
            "min_value": "批准天数至少为1个工作日",
            "max_value": "批准天数不能超过申请的天数",
        },
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
