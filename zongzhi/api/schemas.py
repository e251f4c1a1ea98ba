"""Input and output shapes of the JSON API. Parties always leave masked."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import field_validator

from zongzhi.api.inputs import CleanDate, InputSchema, PageNumber, PageSize
from zongzhi.cases.choices import (
    STAFF_SOURCES,
    Colour,
    Outcome,
    PartyRole,
    RiskGrade,
    Source,
    Status,
)
from zongzhi.cases.workflow import Action
from zongzhi.privacy.phones import normalise_phone
from zongzhi.privacy.validators import clean_id_number


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class Named(Schema):
    code: str
    name: str


class CaseSummary(Schema):
    id: int
    number: str
    title: str
    dispute_type: Named
    place: Named
    risk: RiskGrade
    risk_label: str
    status: Status
    status_label: str
    colour: Colour
    colour_label: str
    source: Source
    source_label: str
    created_at: datetime
    next_due_at: datetime | None
    next_due_label: str = Field(description="剩余或已超期的时间，如“已超期 2天5小时”")
    overdue: bool


class CasePage(Schema):
    items: list[CaseSummary]
    count: int
    page: int
    page_size: int


class PartyOut(Schema):
    role: PartyRole
    role_label: str
    name: str = Field(description="已脱敏")
    phone: str = Field(description="已脱敏")
    id_number: str = Field(description="已脱敏")
    address: str = Field(description="已脱敏")


class AssignmentOut(Schema):
    kind: str
    unit: str | None
    assignee: str | None
    assigned_at: datetime


class ActionOut(Schema):
    action: Action
    label: str
    note_required: bool


class MilestoneOut(Schema):
    milestone: str
    label: str
    due: datetime | None
    done: datetime | None
    state: str
    due_label: str = Field(description="未完成时：剩余或已超期的时间")
    calendar_confirmed: bool = Field(
        description="时限所跨年度的节假日安排均已确认；否则按周末计算，可能变动"
    )
    calendar_note: str = Field(description="未确认时为“（日历未确认，按周末计算）”")
    extended_days: int | None = Field(None, description="本轮已批准延长的工作日数")
    paused: bool = Field(description="停止计时中（未完成的时限暂不计算）")


class RatingOut(Schema):
    round: int = Field(description="办理轮次（重启次数，0为首次办理）")
    score: int = Field(description="满意度，1到5星")
    comment: str
    rated_at: datetime


class CaseDetail(CaseSummary):
    description: str
    location_text: str
    latitude: Decimal | None
    longitude: Decimal | None
    people_count: int
    outcome: str
    outcome_label: str
    reopen_count: int
    concluded_at: datetime | None = Field(description="化解办结时间（满足7日化解时限，不论结果）")
    resolved_at: datetime | None = Field(description="实质化解时间（仅实质化解）")
    ratings: list[RatingOut]
    parties: list[PartyOut]
    assignments: list[AssignmentOut]
    milestones: list[MilestoneOut]
    clock_paused_at: datetime | None = Field(None, description="停止计时开始时间（计时中为空）")
    clock_pause_reason: str = Field("", description="停止计时理由")
    actions: list[ActionOut]


class EventOut(Schema):
    id: int
    kind: str
    label: str
    actor: str
    at: datetime
    from_status: str
    to_status: str
    note: str
    is_public: bool


class NoteOut(Schema):
    event: int
    note: str


class CaseTextOut(Schema):
    """A case's free text in clear (the read is logged)."""

    title: str
    description: str
    location_text: str
    notes: list[NoteOut]


class CaseFilterQuery(InputSchema):
    """The queue's filters (workbench QueueFilterForm), with codes instead of row ids."""

    q: str = Field("", max_length=100, description="编号、事由、详情或当事人姓名")
    status: Status | None = None
    colour: Colour | None = None
    dispute_type: str | None = Field(None, description="纠纷类型代码")
    risk: RiskGrade | None = None
    source: Source | None = None
    place: str | None = Field(None, description="地点代码（须在本人辖区内）")
    created_from: CleanDate | None = None
    created_to: CleanDate | None = None
    overdue: bool = False
    mine: bool = Field(False, description="只看交办给我或我单位的")
    centre: Literal["held", "to_sign", "watched"] | None = Field(
        None, description="本中心：held 承办中、to_sign 待签收、watched 已下交跟踪"
    )
    page: PageNumber = 1
    page_size: PageSize = 50


class PartyIn(InputSchema):
    role: PartyRole = PartyRole.APPLICANT
    name: str = Field(..., min_length=1, max_length=60)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)

    # The same checks as the window form (GB 11643 checksum; mobile or landline).
    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        return _django_check(clean_id_number, value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return _django_check(normalise_phone, value)


def _django_check(clean, value: str) -> str:
    try:
        return clean(value) if value.strip() else ""
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from error


class CaseIn(InputSchema):
    dispute_type: str = Field(..., description="纠纷类型代码")
    place: str = Field(..., description="地点代码")
    title: str = Field(..., min_length=1, max_length=120)
    description: str = Field(..., min_length=1, max_length=5000)
    source: Source = Field(
        Source.WINDOW, description="工作人员登记渠道（窗口、网格、12345、110、信访、民情气象站）"
    )
    risk: RiskGrade = RiskGrade.LOW
    people_count: int = Field(2, ge=1, le=100000)
    initial_status: Status = Status.REPORT
    location_text: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)

    @field_validator("source")
    @classmethod
    def _staff_source(cls, value: Source) -> Source:
        if value not in STAFF_SOURCES:
            raise ValueError("工作人员登记只能选择窗口、网格、12345、110、信访或民情气象站渠道")
        return value


class TransitionIn(InputSchema):
    action: Action
    note: str = Field("", max_length=2000)
    outcome: Outcome | None = None
    unit: int | None = Field(None, description="主办单位编号（交办时）")
    assignee: str | None = Field(None, description="主办人用户名（交办时）")
    joint_units: list[int] = Field([], max_length=20, description="协办单位编号（交办时，选填）")
    joint_people: list[str] = Field([], max_length=20, description="协办人用户名（交办时，选填）")


class TransitionOut(Schema):
    event: EventOut
    case: CaseDetail


# The public side.


class ReportIn(InputSchema):
    dispute_type: str = Field(..., max_length=40, description="纠纷类型代码")
    place: str = Field(..., max_length=20, description="乡镇（街道）或村（社区）代码")
    description: str = Field(..., description="纠纷情况，不超过2000字")
    contact_phone: str = Field(..., max_length=40, description="手机号码或带区号的固定电话")
    contact_name: str = Field("", max_length=40)
    title: str = Field("", max_length=60)
    location_text: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    people_count: int = Field(2, ge=1, le=10000)

    @field_validator("contact_phone")
    @classmethod
    def _contact_phone(cls, value: str) -> str:
        return _django_check(normalise_phone, value)


class ReportOut(Schema):
    case_number: str
    query_code: str
    status: Status
    status_label: str
    created: bool
    message: str


class PublicEventOut(Schema):
    at: datetime
    label: str
    actor: str
    note: str


class PublicCaseOut(Schema):
    case_number: str
    title: str
    dispute_type: str
    place: str
    status: Status
    status_label: str
    outcome_label: str
    reported_at: datetime | None
    applicant: str = Field(description="已脱敏")
    can_rate: bool
    can_reopen: bool


class LookupIn(InputSchema):
    """The query code and the phone's last four digits: in the body, never the URL (URLs
    end up in access logs)."""

    code: str = Field(..., min_length=1, max_length=20, description="查询码")
    phone_last4: str = Field(..., pattern=r"^[0-9]{4}$", description="手机号后四位")


class RatingIn(InputSchema):
    phone_last4: str = Field(..., pattern=r"^[0-9]{4}$")
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class ReopenIn(InputSchema):
    phone_last4: str = Field(..., pattern=r"^[0-9]{4}$")
    reason: str = Field(..., min_length=1, max_length=500)


class PlaceOut(Schema):
    code: str
    name: str
    level: int
    level_label: str


class DisputeTypeOut(Schema):
    code: str
    name: str
    description: str
