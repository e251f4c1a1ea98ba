"""Forms of the citizen's mobile page: report, look up, rate, reopen. Messages are Chinese."""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from zongzhi.cases.models import DisputeType
from zongzhi.intake.limits import MAX_PHOTO_BYTES, MAX_PHOTOS
from zongzhi.intake.services import MAX_DESCRIPTION, CitizenReport
from zongzhi.intake.upload_fields import MultipleUploadField
from zongzhi.lib import cleaning
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.models import Level, Place
from zongzhi.privacy.phones import normalise_phone

MAX_COMMENT = 500


@dataclass
class PlacePicker:
    """The cascade county → township → village, from the codes chosen so far.

    A deeper choice counts only when it lies under the one above, so a stale village left
    over from another township is dropped rather than trusted.
    """

    counties: list[Place]
    townships: list[Place] = field(default_factory=list)
    villages: list[Place] = field(default_factory=list)
    county: Place | None = None
    township: Place | None = None
    village: Place | None = None

    @classmethod
    def build(cls, county_code: str = "", township_code: str = "", village_code: str = ""):
        counties = list(
            Place.objects.filter(level=Level.COUNTY).select_related("parent").order_by("path")
        )
        picker = cls(counties=counties)
        picker.county = next((c for c in counties if c.code == county_code), None)
        if picker.county is None and len(counties) == 1:
            picker.county = counties[0]
        if picker.county is None:
            return picker
        picker.townships = list(
            Place.objects.filter(parent=picker.county, level=Level.TOWNSHIP).order_by("code")
        )
        picker.township = next((t for t in picker.townships if t.code == township_code), None)
        if picker.township is None:
            return picker
        picker.villages = list(
            Place.objects.filter(parent=picker.township, level=Level.VILLAGE).order_by("code")
        )
        picker.village = next((v for v in picker.villages if v.code == village_code), None)
        return picker

    @property
    def chosen(self) -> Place | None:
        return self.village or self.township

    @staticmethod
    def county_label(county: Place) -> str:
        return f"{county.parent.name} {county.name}" if county.parent_id else county.name


class ReportForm(CleanInputMixin, forms.Form):
    """The report (我要反映). The place is either pre-set by a QR code (`place`, a code) or
    picked from the tree (`county`, `township`, `village`)."""

    dispute_type = forms.ModelChoiceField(
        label="纠纷类型",
        queryset=DisputeType.objects.filter(is_active=True),
        empty_label="请选择纠纷类型",
        error_messages={"required": "请选择纠纷类型", "invalid_choice": "请选择纠纷类型"},
    )
    description = forms.CharField(
        label="纠纷情况",
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        error_messages={
            "required": "请描述纠纷情况",
            "max_length": f"纠纷描述不能超过{MAX_DESCRIPTION}字",
        },
    )
    place = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    county = forms.CharField(required=False, max_length=20)
    township = forms.CharField(required=False, max_length=20)
    village = forms.CharField(required=False, max_length=20)
    location_text = forms.CharField(
        label="具体位置",
        required=False,
        max_length=200,
        error_messages={"max_length": "具体位置不能超过200字"},
    )
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, max_digits=9,
        widget=forms.HiddenInput,
    )  # fmt: skip
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, max_digits=9,
        widget=forms.HiddenInput,
    )  # fmt: skip
    photos = MultipleUploadField(
        label="现场照片",
        max_count=MAX_PHOTOS,
        max_bytes=MAX_PHOTO_BYTES,
        allow_pdf=False,
        accept="image/jpeg,image/png,image/webp",
    )
    contact_name = forms.CharField(
        label="您的称呼",
        required=False,
        max_length=20,
        error_messages={"max_length": "称呼不能超过20字"},
    )
    contact_phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
        error_messages={"required": "请留下手机号码，用于查询进度", "max_length": "手机号码不正确"},
    )
    client_token = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)

    def __init__(self, *args, preset: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.preset = preset
        if not self.is_bound:
            # A fresh token per rendered form: a double tap or a browser resubmit of this
            # form carries the same one and gets the same case back.
            self.initial.setdefault("client_token", uuid.uuid4().hex)
            if preset is not None:
                self.initial["place"] = preset.code

    def picker(self) -> PlacePicker:
        source = self.data if self.is_bound else self.initial
        return PlacePicker.build(
            source.get("county", ""), source.get("township", ""), source.get("village", "")
        )

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data["contact_phone"], mobile_only=True)

    def clean_description(self) -> str:
        text = self.cleaned_data["description"]
        if not text.strip():
            raise ValidationError("请描述纠纷情况", code="required")
        return text

    def clean(self):
        cleaned = super().clean()
        place = None
        if cleaned.get("place"):
            # The view has looked the QR place up already to show it; don't ask twice.
            if self.preset is not None and self.preset.code == cleaned["place"]:
                place = self.preset
            else:
                place = Place.objects.filter(
                    code=cleaned["place"], level__gte=Level.TOWNSHIP
                ).first()
        else:
            place = self.picker().chosen
        if place is None:
            self.add_error("place", "请选择纠纷发生的乡镇（街道）或村（社区）")
        cleaned["place_obj"] = place
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned

    def to_report(self) -> CitizenReport:
        data = self.cleaned_data
        return CitizenReport(
            dispute_type=data["dispute_type"],
            description=data["description"],
            place=data["place_obj"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            location_text=data["location_text"],
            latitude=_coordinate(data.get("latitude")),
            longitude=_coordinate(data.get("longitude")),
            photos=list(data.get("photos") or []),
        )


def _coordinate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.000001"))


class LookupForm(CleanInputMixin, forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请输入查询码"},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone_last4 = forms.CharField(
        label="手机号后四位",
        max_length=4,
        min_length=4,
        error_messages={
            "required": "请输入手机号后四位",
            "min_length": "请输入手机号后四位",
            "max_length": "请输入手机号后四位",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}
        ),
    )

    def clean_phone_last4(self) -> str:
        digits = self.cleaned_data["phone_last4"]
        if not cleaning.is_ascii_digits(digits, 4):
            raise ValidationError("请输入手机号后四位", code="digits")
        return digits


class RatingForm(CleanInputMixin, forms.Form):
    score = forms.TypedChoiceField(
        label="满意度",
        choices=[(n, f"{n}星") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择1到5星", "invalid_choice": "请选择1到5星"},
    )
    comment = forms.CharField(
        label="评价内容",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={"max_length": f"评价内容不能超过{MAX_COMMENT}字"},
    )


class ReopenForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(
        label="仍未解决的情况",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={
            "required": "请说明仍未解决的情况",
            "max_length": f"说明不能超过{MAX_COMMENT}字",
        },
    )
