"""POST requests: an Open311 form turned into a citizen report, filed once.

The case and the Open311 record are written in one transaction (intake's receipt too), so a
crash leaves nothing or everything. A resent POST finds its first case by the
Idempotency-Key header or, failing that, by the same client, device/account and content
within RETRY_WINDOW_SECONDS.
"""

import hashlib
import math
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import ExpressionWrapper, FloatField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from zongzhi.api.models import Open311Client, Open311Submission
from zongzhi.api.open311 import config, params
from zongzhi.api.open311.formats import Open311Error
from zongzhi.cases.choices import Source
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case, DisputeType
from zongzhi.intake import limits, ratelimit
from zongzhi.intake import services as intake
from zongzhi.intake.models import SubmissionReceipt
from zongzhi.places.models import Level, Place
from zongzhi.privacy.phones import normalise_phone

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
MAX_PEOPLE = 10000  # as intake.services checks for every channel
TEXT_FIELDS = ("email", "device_id", "account_id", "first_name", "last_name", "phone")


@dataclass
class Filed:
    case: Case
    created: bool
    account_id: str


def _attributes(post) -> dict[str, str]:
    found = {}
    for key in post:
        match = ATTRIBUTE.match(key)
        if match:
            values = [v.strip() for v in post.getlist(key) if v.strip()]
            found[match.group(1)] = ",".join(values)
    return found


def _coordinate(raw: str, name: str, bound: int) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > bound:
        raise Open311Error(400, f"{name}无效")
    return value.quantize(Decimal("0.000001"))


def _location(post) -> tuple[Decimal | None, Decimal | None, str]:
    lat, long = post.get("lat", "").strip(), post.get("long", "").strip()
    address = post.get("address_string", "").strip() or post.get("address_id", "").strip()
    if bool(lat) != bool(long):
        raise Open311Error(400, "lat与long须同时提供")
    if not lat and not address:
        raise Open311Error(400, "须提供位置：lat与long，或address_string，或address_id")
    if len(address) > 200:
        raise Open311Error(400, "address_string不能超过200字")
    if not lat:
        return None, None, address
    return _coordinate(lat, "lat", 90), _coordinate(long, "long", 180), address


def _nearest_township(lat: Decimal, long: Decimal) -> Place | None:
    """The township or village nearest the point, found by the database (one row back)."""
    candidates = Place.objects.filter(
        level__in=[Level.TOWNSHIP, Level.VILLAGE], latitude__isnull=False, longitude__isnull=False
    )
    root = config.root_place()
    if root is not None:
        candidates = candidates.filter(path__under=root.path)
    # Squared distance on a local flat map: a degree of longitude shrinks with cos(latitude).
    scale = math.cos(math.radians(float(lat)))
    north = Cast("latitude", FloatField()) - Value(float(lat))
    east = (Cast("longitude", FloatField()) - Value(float(long))) * Value(scale)
    distance = ExpressionWrapper(north * north + east * east, output_field=FloatField())
    return candidates.annotate(distance=distance).order_by("distance", "code").first()


def _place(attributes: dict, lat, long) -> Place:
    code = attributes.get("township", "")
    if code:
        place = Place.objects.filter(code=code, level=Level.TOWNSHIP).first()
        root = config.root_place()
        if place is None or (root is not None and not root.contains(place)):
            raise Open311Error(400, "attribute[township]不是可选的乡镇（街道）")
        return place
    place = _nearest_township(lat, long) if lat is not None else None
    if place is None:
        raise Open311Error(400, "请通过attribute[township]选择纠纷发生的乡镇（街道）")
    return place


def _people_count(raw: str) -> int:
    if not raw:
        return 2
    return params.integer(raw, "attribute[people_count]", minimum=1, maximum=MAX_PEOPLE)


def _media_url(raw: str) -> str:
    if not raw:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError as error:
        raise Open311Error(400, "media_url不是有效的网址") from error
    if len(raw) > 500:
        raise Open311Error(400, "media_url不能超过500个字符")
    return raw


def _report(post, dispute_type: DisputeType) -> intake.CitizenReport:
    for name in TEXT_FIELDS:
        if len(post.get(name, "")) > limits.MAX_FIELD_CHARS:
            raise Open311Error(400, f"{name}不能超过{limits.MAX_FIELD_CHARS}个字符")
    attributes = _attributes(post)
    lat, long, address = _location(post)
    phone = attributes.get("phone") or post.get("phone", "").strip()
    if not phone:
        raise Open311Error(400, "attribute[phone]为必填项：请留下联系电话，用于查询进度")
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        raise Open311Error(400, error.messages[0]) from error
    name = attributes.get("contact_name") or (
        post.get("last_name", "").strip() + post.get("first_name", "").strip()
    )
    return intake.CitizenReport(
        dispute_type=dispute_type,
        description=post.get("description", ""),
        place=_place(attributes, lat, long),
        contact_name=name[:40],
        contact_phone=phone,
        location_text=address,
        latitude=lat,
        longitude=long,
        people_count=_people_count(attributes.get("people_count", "")),
    )


def _content_digest(client: Open311Client, post) -> str:
    items = sorted((k, tuple(post.getlist(k))) for k in post if k != "api_key")
    return hashlib.sha256(repr((client.pk, items)).encode()).hexdigest()[:40]


def _recent_retry(
    channel: str, submitter: str, client, post, now: float
) -> tuple[str, Case | None]:
    """The automatic key for a POST without Idempotency-Key, and the case of an identical
    POST from the same client/device within the retry window, if any."""
    who = post.get("device_id", "") or post.get("account_id", "")
    digest = hashlib.sha256(f"{who}|{_content_digest(client, post)}".encode()).hexdigest()[:40]
    window = config.RETRY_WINDOW_SECONDS
    bucket = int(now // window)
    since = timezone.now() - timedelta(seconds=window)
    for key in (f"auto:{digest}:{bucket}", f"auto:{digest}:{bucket - 1}"):
        receipt = (
            SubmissionReceipt.objects.select_related("case")
            .filter(channel=channel, submitter=submitter, key=key, created_at__gte=since)
            .first()
        )
        if receipt:
            return key, receipt.case
    return f"auto:{digest}:{bucket}", None


def file_request(client: Open311Client, post, idempotency_key: str | None) -> Filed:
    """Validate, rate-limit and file one POST; raises Open311Error for every refusal."""
    params.check_text(post)
    account_id = post.get("account_id", "").strip()
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "缺少service_code")
    dispute_type = DisputeType.objects.filter(code=code, is_active=True).first()
    if dispute_type is None:
        raise Open311Error(404, f"service_code“{code}”不存在")
    report = _report(post, dispute_type)
    media_url = _media_url(post.get("media_url", "").strip())
    channel, submitter = "open311", intake.client_submitter(client.pk)
    key = (idempotency_key or "").strip()
    if not key:
        key, earlier = _recent_retry(channel, submitter, client, post, time.time())
        if earlier is not None:
            return Filed(earlier, False, account_id)
    ratelimit.check(
        "open311-client",
        str(client.pk),
        limits.OPEN311_POST_PER_CLIENT,
        limits.REPORT_LIMIT_MESSAGE,
    )
    already_stored = intake.has_receipt(channel, key, submitter=submitter)
    limits.check_report_phone(report.contact_phone, already_stored=already_stored)
    try:
        with transaction.atomic():
            submission = intake.submit_report(
                report,
                channel=channel,
                submitter=submitter,
                source=Source.OPEN311,
                idempotency_key=key,
                submitter_name=f"Open311：{client.name}",
            )
            if submission.created:
                Open311Submission.objects.create(
                    case=submission.case,
                    client=client,
                    account_id=account_id[:100],
                    device_id=post.get("device_id", "").strip()[:100],
                    media_url=media_url,
                )
    except CaseError as error:
        raise Open311Error(400, error.message) from error
    except intake.IdempotencyConflict as error:
        raise Open311Error(400, error.message) from error
    return Filed(submission.case, submission.created, account_id)
