"""The citizen's side of a case: file a report (safely retried), follow it, rate it, reopen it.

Every channel a citizen or a machine uses (the H5 page, the JSON API, Open311) comes through
these functions, so that idempotency, limits and masking are the same everywhere.
"""

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, PartyRole, RiskGrade, Source, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition
from zongzhi.cases.files import discard_staged_on_error
from zongzhi.cases.models import Case, CaseEvent, DisputeType
from zongzhi.cases.numbering import normalise_query_code
from zongzhi.cases.workflow import Action
from zongzhi.intake.models import CitizenRating, SubmissionReceipt
from zongzhi.places.models import Level, Place
from zongzhi.privacy.crypto import keyed_hash
from zongzhi.privacy.masking import mask_free_text, mask_name
from zongzhi.privacy.phones import normalise_phone

MAX_DESCRIPTION = 2000
MAX_TITLE = 60
# Statuses in which the citizen sees the case as handled: they may rate or say "not solved".
CONCLUDED = frozenset({Status.FOLLOW_UP, Status.CLOSED})


class IdempotencyConflict(Exception):
    """The same idempotency key was used before with a different submission."""

    message = "该提交编号已用于另一份不同的反映，请勿重复使用"


@dataclass
class CitizenReport:
    dispute_type: DisputeType
    description: str
    place: Place
    contact_name: str
    contact_phone: str
    title: str = ""
    location_text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    people_count: int = 2
    photos: list[UploadedFile] = field(default_factory=list)

    def fingerprint(self) -> str:
        """A digest of the submission's content, to tell a true retry from a key reused."""
        content = {
            "type": self.dispute_type.pk,
            "description": self.description.strip(),
            "place": self.place.pk,
            "phone": self.contact_phone.strip(),
            "name": self.contact_name.strip(),
            "title": self.title.strip(),
            "location": self.location_text.strip(),
            "point": [str(self.latitude), str(self.longitude)],
            "people": self.people_count,
            "photos": [(p.name, p.size) for p in self.photos],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass
class Submission:
    case: Case
    created: bool


def _title_from(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _validate(report: CitizenReport) -> None:
    if not report.description.strip():
        raise InvalidInput("请描述纠纷情况", field="description")
    if len(report.description) > MAX_DESCRIPTION:
        raise InvalidInput(f"纠纷描述不能超过{MAX_DESCRIPTION}字", field="description")
    if len(report.title) > MAX_TITLE:
        raise InvalidInput(f"标题不能超过{MAX_TITLE}字", field="title")
    if report.place.level < Level.TOWNSHIP:
        raise InvalidInput("请选择到乡镇（街道）或村（社区）", field="place")
    if not report.contact_phone.strip():
        raise InvalidInput("请留下联系电话，用于查询进度", field="contact_phone")
    try:
        # Every channel stores one form, so the same phone is one person (limits, hashes).
        report.contact_phone = normalise_phone(report.contact_phone)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="contact_phone") from error
    if not 1 <= report.people_count <= 10000:
        raise InvalidInput("涉及人数应在1到10000之间", field="people_count")


def citizen_submitter(phone: str) -> str:
    """Whom an anonymous citizen's idempotency keys belong to: their phone number (the one
    thing every citizen submission carries), as a keyed hash."""
    # A bad number is refused later; until then its key belongs to what was typed.
    with contextlib.suppress(ValidationError):
        phone = normalise_phone(phone)
    return "phone:" + keyed_hash(phone or "")


def client_submitter(client_id: int) -> str:
    """Whom an Open311 client's idempotency keys belong to."""
    return f"open311-client:{client_id}"


def staff_submitter(user_id: int) -> str:
    """Whom a staff account's idempotency keys belong to (registration through the API)."""
    return f"user:{user_id}"


def submit_report(
    report: CitizenReport,
    *,
    channel: str,
    submitter: str | None = None,
    source: Source = Source.CITIZEN,
    idempotency_key: str | None = None,
    submitter_name: str = "群众",
) -> Submission:
    """File a citizen's report once, however many times it is sent.

    With an idempotency key, a retry of the same submission by the same submitter (by
    default the citizen's phone, see citizen_submitter) returns the first case (`created`
    False); the receipt is stored in the same transaction as the case, so a crash leaves
    either nothing or the whole case. A key reused for different content raises
    IdempotencyConflict.
    """
    _validate(report)
    return file_once(
        channel,
        idempotency_key,
        report.fingerprint(),
        lambda: _file(report, source=source, submitter_name=submitter_name),
        submitter=submitter or citizen_submitter(report.contact_phone),
    )


def file_once(
    channel: str,
    idempotency_key: str | None,
    fingerprint: str,
    create: Callable[[], Case],
    *,
    submitter: str,
) -> Submission:
    """Run `create` (which files a case) once per (channel, submitter, key): the receipt is
    stored in the same transaction as the case. Another submitter's key never answers: the
    same key from them files their own case. Used by submit_report and by staff registration
    through the API; raises IdempotencyConflict when the key was used for other content."""
    key = (idempotency_key or "").strip()[:120] or None
    if key:
        earlier = _earlier(channel, submitter, key, fingerprint)
        if earlier:
            return earlier
    try:
        # Photos staged by `create` are deleted if anything here fails (cases.files).
        with discard_staged_on_error(), transaction.atomic():
            case = create()
            if key:
                SubmissionReceipt.objects.create(
                    channel=channel,
                    submitter=submitter,
                    key=key,
                    request_hash=fingerprint,
                    case=case,
                )
    except IntegrityError:
        # A concurrent retry with the same key won the race: its case is the answer.
        if key:
            earlier = _earlier(channel, submitter, key, fingerprint)
            if earlier:
                return earlier
        raise
    return Submission(case=case, created=True)


def has_receipt(channel: str, key: str | None, *, submitter: str) -> bool:
    """Whether this submitter's submission with this idempotency key is already stored."""
    key = (key or "").strip()[:120]
    return (
        bool(key)
        and SubmissionReceipt.objects.filter(channel=channel, submitter=submitter, key=key).exists()
    )


def _earlier(channel: str, submitter: str, key: str, fingerprint: str) -> Submission | None:
    receipt = (
        SubmissionReceipt.objects.select_related("case")
        .filter(channel=channel, submitter=submitter, key=key)
        .first()
    )
    if receipt is None:
        return None
    if receipt.request_hash != fingerprint:
        raise IdempotencyConflict(IdempotencyConflict.message)
    return Submission(case=receipt.case, created=False)


def _file(report: CitizenReport, *, source: Source, submitter_name: str) -> Case:
    data = case_services.CaseData(
        source=source,
        dispute_type=report.dispute_type,
        title=report.title.strip() or _title_from(report.description),
        description=report.description,
        place=report.place,
        risk=RiskGrade.LOW,  # judged again at acceptance (研判)
        people_count=report.people_count,
        parties=[
            case_services.PartyData(
                role=PartyRole.APPLICANT,
                name=report.contact_name.strip() or "匿名",
                phone=report.contact_phone.strip(),
            )
        ],
        location_text=report.location_text,
        latitude=report.latitude,
        longitude=report.longitude,
        attachments=report.photos,
    )
    return case_services.register_case(data, actor=None, actor_name=submitter_name)


def find_case(query_code: str, phone_last4: str) -> Case | None:
    """The case with this query code whose applicant's phone ends in these four digits."""
    code = normalise_query_code(query_code)
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if len(code) < 6 or len(digits) != 4:
        return None
    case = Case.objects.select_related("dispute_type", "place").filter(query_code=code).first()
    if case is None:
        return None
    applicants = case.parties.filter(role=PartyRole.APPLICANT)
    if not any(p.phone and p.phone.endswith(digits) for p in applicants):
        return None
    return case


@dataclass(frozen=True)
class PublicEvent:
    at: object
    label: str
    actor: str
    note: str


def public_timeline(case: Case) -> list[PublicEvent]:
    """The timeline as the citizen sees it: public events, staff names masked, no notes
    except the citizen's own words (staff notes can name other people), their phone and ID
    numbers masked."""
    events = case.events.filter(is_public=True).select_related("actor").order_by("created_at", "id")
    rows = []
    for event in events:
        if event.actor is None:
            actor, note = event.actor_label, mask_free_text(event.note)
        else:
            name = mask_name(event.actor.display_name or "工作人员")
            actor, note = f"{name}（{event.actor.role_label}）", ""
        rows.append(PublicEvent(at=event.created_at, label=event.label, actor=actor, note=note))
    return rows


def can_rate(case: Case) -> bool:
    return case.status in CONCLUDED and not case.ratings.filter(round=case.reopen_count).exists()


def rate(case: Case, score: int, comment: str = "") -> CitizenRating:
    """The party rates the handling once per round (a reopened case may be rated again)."""
    if case.status not in CONCLUDED:
        raise InvalidTransition("纠纷办结后才能评价")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("满意度请选择1到5星", field="score")
    if len(comment) > 500:
        raise InvalidInput("评价内容不能超过500字", field="comment")
    try:
        with transaction.atomic():
            rating = CitizenRating.objects.create(
                case=case, round=case.reopen_count, score=score, comment=comment.strip()
            )
            case_services.record_event(
                case,
                "rated",
                actor=None,
                label="当事人",
                at=timezone.now(),
                from_status=case.status,
                note=comment.strip(),
                data={"score": score, "round": case.reopen_count},
            )
    except IntegrityError as error:  # the unique (case, round) constraint: rated already
        raise InvalidTransition("您已评价过本次办理结果") from error
    return rating


def reopen(case: Case, reason: str) -> CaseEvent:
    """The party says the dispute is not solved: the case goes back to resolution at once."""
    if case.status not in CONCLUDED:
        raise InvalidTransition("纠纷尚在办理中，无需重启")
    if not reason.strip():
        raise InvalidInput("请说明仍未解决的情况", field="reason")
    if len(reason) > 500:
        raise InvalidInput("说明不能超过500字", field="reason")
    return case_services.transition(
        case, Action.REOPEN, actor=None, actor_name="当事人", note=reason
    )


def outcome_label(case: Case) -> str:
    return Outcome(case.outcome).label if case.outcome else "办理中"
