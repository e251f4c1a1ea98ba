"""Forms of the one-stop window (统一登记): the case, its two parties, and attachments."""

from django import forms

from zongzhi.accounts.models import User
from zongzhi.cases.choices import STAFF_SOURCES, PartyRole, RiskGrade, Source
from zongzhi.cases.models import DisputeType
from zongzhi.cases.services import CaseData, PartyData
from zongzhi.cases.uploads import STAFF_ACCEPT, STAFF_MAX_BYTES, STAFF_MAX_FILES
from zongzhi.intake.upload_fields import MultipleUploadField
from zongzhi.lib.forms import CleanInputMixin, StrictIntegerField
from zongzhi.privacy.phones import normalise_phone
from zongzhi.privacy.validators import clean_id_number
from zongzhi.workbench import selectors
from zongzhi.workbench.forms import PlaceChoiceField


def required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}"}


def chosen(label: str) -> dict[str, str]:
    return {"required": f"请选择{label}", "invalid_choice": f"所选{label}无效，请重新选择"}


class WindowCaseForm(CleanInputMixin, forms.Form):
    source = forms.ChoiceField(
        label="来源渠道",
        choices=[(s.value, s.label) for s in STAFF_SOURCES],
        initial=Source.WINDOW.value,
        error_messages=chosen("来源渠道"),
    )
    dispute_type = forms.ModelChoiceField(
        label="纠纷类型",
        queryset=DisputeType.objects.filter(is_active=True),
        empty_label="请选择",
        error_messages=chosen("纠纷类型"),
    )
    title = forms.CharField(
        label="事由",
        max_length=120,
        error_messages={**required("事由"), "max_length": "事由不能超过 %(limit_value)d 个字"},
        widget=forms.TextInput(attrs={"placeholder": "一句话概括，如：邻居占道堆放杂物引发争执"}),
    )
    description = forms.CharField(
        label="纠纷详情",
        max_length=5000,
        error_messages={
            **required("纠纷详情"),
            "max_length": "纠纷详情不能超过 %(limit_value)d 个字",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    place = PlaceChoiceField(
        label="所属地点",
        queryset=None,
        empty_label="请选择",
        error_messages={
            "required": "请选择所属地点",
            "invalid_choice": "所选地点不在您的管辖范围内",
        },
    )
    location_text = forms.CharField(
        label="发生地点",
        required=False,
        max_length=200,
        error_messages={"max_length": "发生地点不能超过 %(limit_value)d 个字"},
        widget=forms.TextInput(attrs={"placeholder": "如：玉兴路8号院门口"}),
    )
    risk = forms.ChoiceField(
        label="风险等级",
        choices=RiskGrade.choices,
        initial=RiskGrade.LOW.value,
        error_messages=chosen("风险等级"),
    )
    people_count = StrictIntegerField(
        label="涉及人数",
        min_value=1,
        max_value=100000,
        initial=2,
        error_messages={
            **required("涉及人数"),
            "invalid": "涉及人数须为整数",
            "min_value": "涉及人数至少为 1 人",
            "max_value": "涉及人数不能超过 100000 人",
        },
    )
    attachments = MultipleUploadField(
        label="附件",
        max_count=STAFF_MAX_FILES,
        max_bytes=STAFF_MAX_BYTES,
        allow_pdf=True,
        accept=STAFF_ACCEPT,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = selectors.registration_places(user)
        self.fields["place"].top_level = user.place.level if user.place_id else None

    def case_data(self, parties: list[PartyData]) -> CaseData:
        data = self.cleaned_data
        return CaseData(
            source=Source(data["source"]),
            dispute_type=data["dispute_type"],
            title=data["title"],
            description=data["description"],
            place=data["place"],
            risk=RiskGrade(data["risk"]),
            people_count=data["people_count"],
            location_text=data["location_text"],
            parties=parties,
            attachments=data["attachments"],
        )


class PartyForm(CleanInputMixin, forms.Form):
    """One party. The applicant's name is required; a respondent may be left out entirely."""

    name = forms.CharField(
        label="姓名",
        required=False,
        max_length=60,
        error_messages={"max_length": "姓名不能超过 %(limit_value)d 个字"},
    )
    id_number = forms.CharField(label="身份证号", required=False, max_length=30)
    phone = forms.CharField(label="联系电话", required=False, max_length=30)
    address = forms.CharField(
        label="住址",
        required=False,
        max_length=200,
        error_messages={"max_length": "住址不能超过 %(limit_value)d 个字"},
    )

    def __init__(self, *args, role: PartyRole, name_required: bool, **kwargs):
        super().__init__(*args, prefix=role.value, **kwargs)
        self.role = role
        self.name_required = name_required

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and "name" not in self.errors:
            others = [self.data.get(self.add_prefix(f), "").strip() for f in self.OTHER_FIELDS]
            if self.name_required:
                self.add_error("name", f"请填写{self.role.label}姓名")
            elif any(others):
                self.add_error("name", f"填写了{self.role.label}的其他信息，请同时填写姓名")
        return cleaned

    OTHER_FIELDS = ("id_number", "phone", "address")

    def party_data(self) -> PartyData | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return PartyData(
            role=self.role,
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
        )
