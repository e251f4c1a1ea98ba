"""Forms of the staff workbench: they parse and check input; the rules stay in cases.services."""

from django import forms

from zongzhi.accounts.models import User
from zongzhi.cases.choices import Colour, Outcome, RiskGrade, Source, Status
from zongzhi.cases.models import DisputeType
from zongzhi.cases.selectors import QueueFilters
from zongzhi.cases.uploads import STAFF_ACCEPT, STAFF_MAX_BYTES, check_upload
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import eligibility
from zongzhi.dispatch.queues import CentreTab
from zongzhi.lib.forms import CleanInputMixin, StrictDateField
from zongzhi.places.models import Place
from zongzhi.workbench import selectors

COLOUR_SHORT_LABELS = {
    Colour.RED: "红",
    Colour.YELLOW: "黄",
    Colour.GREEN: "绿",
    Colour.NORMAL: "正常",
    Colour.REJECTED: "不予受理",
}
INVALID_CHOICE = "“%(value)s”不是有效的选项"


def _with_blank(choices, label: str = "全部") -> list[tuple[str, str]]:
    return [("", label), *choices]


class PlaceChoiceField(forms.ModelChoiceField):
    """A place select whose options are indented by level so the tree reads at a glance."""

    def __init__(self, *args, top_level: int | None = None, **kwargs):
        self.top_level = top_level
        super().__init__(*args, **kwargs)

    def label_from_instance(self, place: Place) -> str:
        depth = max(place.level - (self.top_level or place.level), 0)
        return "\u3000" * depth + place.name


class QueueFilterForm(CleanInputMixin, forms.Form):
    """The queue's filters, from the query string. Every field is optional."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    status = forms.ChoiceField(
        label="环节",
        required=False,
        choices=_with_blank(Status.choices),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    colour = forms.ChoiceField(
        label="红黄绿",
        required=False,
        choices=_with_blank(COLOUR_SHORT_LABELS.items()),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    dispute_type = forms.ModelChoiceField(
        label="纠纷类型",
        required=False,
        queryset=DisputeType.objects.all(),
        empty_label="全部",
        error_messages={"invalid_choice": "所选纠纷类型不存在"},
    )
    risk = forms.ChoiceField(
        label="风险等级",
        required=False,
        choices=_with_blank(RiskGrade.choices),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    source = forms.ChoiceField(
        label="来源",
        required=False,
        choices=_with_blank(Source.choices),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    place = PlaceChoiceField(
        label="地点",
        required=False,
        queryset=Place.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "所选地点不在您的管辖范围内"},
    )
    created_from = StrictDateField(
        label="登记日期自",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请输入有效的日期，例如 2026-01-31"},
    )
    created_to = StrictDateField(
        label="登记日期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请输入有效的日期，例如 2026-01-31"},
    )
    centre = forms.ChoiceField(
        label="本中心",
        required=False,
        choices=_with_blank(CentreTab.CHOICES),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    overdue = forms.BooleanField(label="只看超期", required=False)
    mine = forms.BooleanField(label="只看交办给我的", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = selectors.filter_places(user)
        self.fields["place"].top_level = user.place.level if user.place_id else None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", "结束日期不能早于开始日期")
            cleaned.pop("created_to", None)
        return cleaned

    def error_messages_list(self) -> list[str]:
        """One readable Chinese line per invalid filter, naming the filter."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else "筛选条件"
            lines.append(f"{label}：{'；'.join(errors)}")
        return lines

    def to_filters(self) -> QueueFilters:
        """The valid filters only; invalid ones are reported and ignored."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        dispute_type = data.get("dispute_type")
        return QueueFilters(
            status=Status(data["status"]) if data.get("status") else None,
            colour=Colour(data["colour"]) if data.get("colour") else None,
            dispute_type_id=dispute_type.pk if dispute_type else None,
            risk=RiskGrade(data["risk"]) if data.get("risk") else None,
            source=Source(data["source"]) if data.get("source") else None,
            place=data.get("place"),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            overdue=bool(data.get("overdue")),
            search=(data.get("q") or "").strip(),
            assigned_to_me=bool(data.get("mine")),
            centre=data.get("centre") or "",
        )


class ActionForm(CleanInputMixin, forms.Form):
    """One step of the case (受理, 交办, 化解办结 …); which ones a user sees comes from
    services.permitted_actions, and services.transition checks again."""

    action = forms.ChoiceField(
        choices=Action.choices, error_messages={"invalid_choice": "未知的办理操作"}
    )
    note = forms.CharField(label="办理说明", required=False, max_length=2000)
    outcome = forms.ChoiceField(
        label="办理结果",
        required=False,
        choices=_with_blank(
            [(o.value, o.label) for o in (Outcome.RESOLVED, Outcome.UNRESOLVED)], "请选择"
        ),
        error_messages={"invalid_choice": "请选择办理结果：实质化解或办结未化解"},
    )
    # 交办: the lead (unit and/or person) and optional joint units and people; the choices
    # and the check are dispatch.eligibility's, and one message refuses whatever the reason.
    unit = forms.ModelChoiceField(
        label="主办单位",
        required=False,
        queryset=None,
        empty_label="（不指定单位）",
        error_messages={"invalid_choice": eligibility.UNIT_REFUSED},
    )
    assignee = forms.ModelChoiceField(
        label="主办人",
        required=False,
        queryset=None,
        empty_label="（不指定个人）",
        error_messages={"invalid_choice": eligibility.ASSIGNEE_REFUSED},
    )
    joint_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        required=False,
        queryset=None,
        error_messages={
            "invalid_choice": eligibility.UNIT_REFUSED,
            "invalid_pk_value": eligibility.UNIT_REFUSED,
        },
    )
    joint_people = forms.ModelMultipleChoiceField(
        label="协办人",
        required=False,
        queryset=None,
        error_messages={
            "invalid_choice": eligibility.ASSIGNEE_REFUSED,
            "invalid_pk_value": eligibility.ASSIGNEE_REFUSED,
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        units, people = eligibility.assignable_units(case), eligibility.assignable_people(case)
        self.fields["unit"].queryset = self.fields["joint_units"].queryset = units
        self.fields["assignee"].queryset = self.fields["joint_people"].queryset = people
        for name in ("assignee", "joint_people"):
            self.fields[name].label_from_instance = handler_label
        for name in ("unit", "joint_units"):
            self.fields[name].label_from_instance = unit_label


def handler_label(user: User, place_label: str | None = None) -> str:
    """ "张三（入驻部门，玉兴街道）"; `place_label` (places.naming) names the place when given."""
    return f"{user.display_name or user.username}（{user.role_label}，{place_label or user.place}）"


def unit_label(unit, place_label: str | None = None) -> str:
    return f"{unit.name}（{place_label or unit.place}）"


class RiskForm(CleanInputMixin, forms.Form):
    risk = forms.ChoiceField(
        label="新的风险等级",
        choices=RiskGrade.choices,
        error_messages={"invalid_choice": "请选择高、中、低之一", "required": "请选择风险等级"},
    )
    # Whether a reason is given is checked by services.change_risk, the one place of the rule.
    note = forms.CharField(label="调整理由", required=False, max_length=2000)


class CommentForm(CleanInputMixin, forms.Form):
    note = forms.CharField(label="办理备注", required=False, max_length=2000)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件",
        widget=forms.ClearableFileInput(attrs={"accept": STAFF_ACCEPT}),
        error_messages={
            "required": "请选择要上传的文件",
            "empty": "上传的文件是空的",
            "invalid": "没有收到文件，请重新选择",
        },
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], max_bytes=STAFF_MAX_BYTES, allow_pdf=True)


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return ""
