"""The citizen's mobile page: report, look up, rate, reopen; every error it can answer with."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, Source, Status
from zongzhi.cases.models import Case, CaseAttachment
from zongzhi.cases.workflow import Action
from zongzhi.intake import citizen_views, limits
from zongzhi.intake.models import CitizenRating, SubmissionReceipt

REPORT = reverse("intake:report")
LOOKUP = reverse("intake:lookup")
PROGRESS = reverse("intake:progress")
PHONE = "13987654321"


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(world, **extra):
    data = {
        "dispute_type": world.dispute_type.pk,
        "description": "隔壁装修每天晚上十点后还在施工，多次沟通无果。",
        "place": world.east.village.code,
        "location_text": "三组村口",
        "contact_name": "王女士",
        "contact_phone": PHONE,
        "client_token": "token-1",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, world, **extra):
    headers = extra.pop("headers", {})
    remote = extra.pop("REMOTE_ADDR", "10.1.1.1")
    return client.post(REPORT, form_data(world, **extra), headers=headers, REMOTE_ADDR=remote)


def conclude(case, world):
    town = world.east
    case_services.transition(case, Action.ACCEPT, actor=town.clerk)
    case_services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    case_services.transition(case, Action.MEET, actor=town.handler)
    case_services.transition(
        case, Action.CONCLUDE, actor=town.handler, note="双方达成协议", outcome=Outcome.RESOLVED
    )


def verified_client(client, case, digits=PHONE[-4:]):
    response = client.post(LOOKUP, {"code": case.query_code, "phone_last4": digits})
    assert response.status_code == 302 and response["Location"] == PROGRESS
    return client


# --- Report page ------------------------------------------------------------------------------


def test_report_page_renders_in_chinese_with_a_fresh_token(client, world):
    first = client.get(REPORT)
    second = client.get(REPORT)
    assert first.status_code == 200
    html = first.content.decode()
    assert '<html lang="zh-CN">' in html and 'name="viewport"' in html
    assert "我要反映矛盾纠纷" in html and world.dispute_type.name in html
    assert "玉兴街道" in html  # the only county is chosen, its townships offered
    assert first.context["form"].initial["client_token"]
    assert (
        first.context["form"].initial["client_token"]
        != second.context["form"].initial["client_token"]
    )
    assert "no-cache" in first["Cache-Control"] or "no-store" in first["Cache-Control"]


def test_report_page_preset_by_qr_place(client, world):
    response = client.get(REPORT, {"place": world.east.village.code})
    html = response.content.decode()
    assert "红塔区玉兴街道玉兴街道一村" in html
    assert f'value="{world.east.village.code}"' in html
    assert 'name="township"' not in html


def test_unknown_or_county_preset_falls_back_to_the_picker(client, world):
    for code in ("999999999", world.county.code):
        html = client.get(REPORT, {"place": code}).content.decode()
        assert 'name="township"' in html


def test_place_picker_cascades_and_drops_stale_choices(client, world):
    url = reverse("intake:place_picker")
    html = client.get(url, {"township": world.east.place.code}).content.decode()
    assert world.east.village.name in html and 'name="village"' in html
    # A village of the other township is not trusted under this one.
    response = client.get(
        url, {"township": world.east.place.code, "village": world.west.village.code}
    )
    assert response.context["picker"].village is None
    assert response.context["picker"].chosen == world.east.place


def test_submit_files_the_case_and_shows_the_query_code(client, world):
    response = submit(client, world, latitude="24.351234", longitude="102.541234")
    assert response.status_code == 200
    case = Case.objects.get()
    html = response.content.decode()
    assert case.query_code in html and case.number in html and "请保存查询码" in html
    # The way on to the progress is a POST form: no URL carries the code.
    assert "?code=" not in html and f'name="code" value="{case.query_code}"' in html
    assert case.source == Source.CITIZEN and case.status == Status.REPORT
    assert case.place == world.east.village and case.location_text == "三组村口"
    assert str(case.latitude) == "24.351234"
    party = case.parties.get()
    assert party.phone == PHONE and party.name == "王女士"


def test_submit_with_the_place_picked_from_the_tree(client, world):
    response = submit(
        client,
        world,
        place=None,
        county=world.county.code,
        township=world.west.place.code,
        village=world.west.village.code,
    )
    assert response.status_code == 200
    assert Case.objects.get().place == world.west.village


def test_township_alone_is_enough(client, world):
    submit(client, world, place=None, township=world.west.place.code)
    assert Case.objects.get().place == world.west.place


def test_refresh_button_advances_the_cascade_and_stores_nothing(client, world):
    response = submit(client, world, place=None, township=world.east.place.code, refresh_place="1")
    assert response.status_code == 200
    assert 'name="village"' in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"contact_phone": "12345"}, "contact_phone", "请输入正确的11位手机号码"),
        ({"contact_phone": "010-12345678"}, "contact_phone", "请输入正确的11位手机号码"),
        ({"contact_phone": ""}, "contact_phone", "请留下手机号码，用于查询进度"),
        ({"description": "   "}, "description", "请描述纠纷情况"),
        ({"description": "字" * 2001}, "description", "纠纷描述不能超过2000字"),
        ({"dispute_type": ""}, "dispute_type", "请选择纠纷类型"),
        ({"place": None}, "place", "请选择纠纷发生的乡镇（街道）或村（社区）"),
        ({"place": "530402"}, "place", "请选择纠纷发生的乡镇（街道）或村（社区）"),
    ],
)
def test_bad_input_is_shown_by_the_field_and_nothing_is_stored(
    client, world, fields, field, message
):
    response = submit(client, world, **fields)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert Case.objects.count() == 0 and SubmissionReceipt.objects.count() == 0


def test_inactive_dispute_type_is_refused(client, world):
    world.dispute_type.is_active = False
    world.dispute_type.save()
    response = submit(client, world)
    assert response.status_code == 400 and Case.objects.count() == 0


def test_photos_are_stored_with_the_case(client, world):
    photo = SimpleUploadedFile("scene.png", png_bytes(), content_type="image/png")
    response = submit(client, world, photos=[photo])
    assert response.status_code == 200
    attachment = CaseAttachment.objects.get()
    assert attachment.case == Case.objects.get() and attachment.content_type == "image/png"


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))], "超过 5 MB"),
        ([SimpleUploadedFile("fake.jpg", b"MZ this is not a picture")], "不是有效的"),
        ([SimpleUploadedFile("doc.pdf", b"%PDF-1.4 fake")], "不是有效的"),
        ([SimpleUploadedFile(f"p{n}.png", png_bytes()) for n in range(7)], "一次最多上传 6 个文件"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(client, world, photos, message):
    response = submit(client, world, photos=photos)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors["photos"])
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0


def test_oversized_request_is_refused_before_it_is_read(client, world):
    response = client.post(
        REPORT,
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(citizen_views.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert Case.objects.count() == 0


def test_double_submit_with_the_same_client_token_gives_one_case(client, world):
    first = submit(client, world)
    again = submit(client, world)
    case = Case.objects.get()
    assert first.context["created"] and not again.context["created"]
    assert again.context["case"].pk == case.pk
    html = again.content.decode()
    assert case.query_code in html and "您的反映已提交过" in html


def test_idempotency_key_header_wins_over_the_client_token(client, world):
    submit(client, world, client_token="a", headers={"Idempotency-Key": "retry-1"})
    again = submit(client, world, client_token="b", headers={"Idempotency-Key": "retry-1"})
    assert Case.objects.count() == 1 and not again.context["created"]


def test_token_reused_for_different_content_is_refused_with_a_new_token(client, world):
    submit(client, world)
    response = submit(client, world, description="完全不同的另一件事")
    assert response.status_code == 409
    assert "该提交编号已用于另一份不同的反映" in response.content.decode()
    assert response.context["form"].data["client_token"] != "token-1"
    assert Case.objects.count() == 1


def test_without_token_each_post_is_a_new_case(client, world):
    submit(client, world, client_token=None)
    submit(client, world, client_token=None)
    assert Case.objects.count() == 2


def test_csrf_is_required(world):
    response = Client(enforce_csrf_checks=True).post(REPORT, form_data(world))
    assert response.status_code == 403 and Case.objects.count() == 0


# --- Rate limits ------------------------------------------------------------------------------


def test_per_ip_limit_answers_429_in_chinese_and_stores_nothing(client, world):
    for n in range(limits.REPORT_PER_IP.limit):
        phone = f"1390000{n:04d}"
        assert submit(client, world, client_token=f"t{n}", contact_phone=phone).status_code == 200
    response = submit(client, world, client_token="over", contact_phone="13700000000")
    assert response.status_code == 429
    assert "提交过于频繁，请一小时后再试" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Case.objects.count() == limits.REPORT_PER_IP.limit


def test_retry_of_a_stored_submission_passes_the_limit(client, world):
    for n in range(limits.REPORT_PER_IP.limit):
        submit(client, world, client_token=f"t{n}", contact_phone=f"1390000{n:04d}")
    response = submit(client, world, client_token="t0", contact_phone="13900000000")
    assert response.status_code == 200 and not response.context["created"]


def test_per_phone_limit(client, world):
    for n in range(limits.REPORT_PER_PHONE.limit):
        ip = f"10.0.0.{n}"
        assert submit(client, world, client_token=f"t{n}", REMOTE_ADDR=ip).status_code == 200
    response = submit(client, world, client_token="over", REMOTE_ADDR="10.0.9.9")
    assert response.status_code == 429
    assert "该手机号今天提交次数已达上限" in response.content.decode()
    assert Case.objects.count() == limits.REPORT_PER_PHONE.limit


def test_limits_can_be_switched_off_for_load_tests(client, world, settings):
    settings.PUBLIC_RATE_LIMITS = False
    for n in range(limits.REPORT_PER_IP.limit + 2):
        assert submit(client, world, client_token=f"t{n}").status_code == 200


def test_limits_knob_reads_the_environment(monkeypatch, settings):
    monkeypatch.delattr(settings, "PUBLIC_RATE_LIMITS", raising=False)
    monkeypatch.setenv("ZONGZHI_PUBLIC_RATE_LIMITS", "0")
    assert not limits.enabled()
    monkeypatch.setenv("ZONGZHI_PUBLIC_RATE_LIMITS", "1")
    assert limits.enabled()


# --- Lookup and progress ----------------------------------------------------------------------


@pytest.fixture
def case(client, world):
    submit(client, world)
    return Case.objects.get()


def test_lookup_takes_code_and_digits_in_the_body_never_the_url(client, case):
    # A code or digits in the URL are neither used nor echoed: URLs end up in access logs.
    html = client.get(LOOKUP, {"code": case.query_code}).content.decode()
    assert case.query_code not in html and "手机号后四位" in html
    response = client.post(f"{LOOKUP}?code={case.query_code}&phone_last4={PHONE[-4:]}")
    assert response.status_code == 400
    assert citizen_views.SESSION_KEY not in client.session
    response = client.post(LOOKUP, {"code": case.query_code, "phone_last4": PHONE[-4:]})
    assert response.status_code == 302
    assert response.url == reverse("intake:progress")
    assert case.query_code not in response.url and PHONE[-4:] not in response.url
    progress = client.get(response.url)
    assert progress.status_code == 200 and progress.context["case"] == case


@pytest.mark.parametrize(
    "fields",
    [
        {"phone_last4": "0000"},
        {"code": "ZZZZZZZZ"},
    ],
)
def test_wrong_code_or_digits_get_one_generic_answer(client, case, fields):
    data = {"code": case.query_code, "phone_last4": PHONE[-4:], **fields}
    response = client.post(LOOKUP, data)
    assert response.status_code == 400
    assert "查询码或手机号后四位不正确" in response.content.decode()
    assert citizen_views.SESSION_KEY not in client.session


def test_lookup_field_errors(client, case):
    response = client.post(LOOKUP, {"code": "", "phone_last4": "12a4"})
    assert response.status_code == 400
    assert "请输入查询码" in response.context["form"].errors["code"]
    assert "请输入手机号后四位" in response.context["form"].errors["phone_last4"]


def test_progress_shows_steps_facts_and_masked_timeline(client, world, case):
    case_services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    verified_client(client, case.__class__.objects.get(pk=case.pk))
    response = client.get(PROGRESS)
    html = response.content.decode()
    assert response.status_code == 200
    assert [s["state"] for s in response.context["steps"]] == [
        "done",
        "done",
        "current",
        "todo",
        "todo",
    ]
    assert "研判" in html and world.dispute_type.name in html
    assert "红塔区玉兴街道玉兴街道一村" in html
    assert "受理" in html and "登记" in html
    assert world.east.clerk.display_name not in html  # staff names masked
    assert world.east.clerk.display_name[0] + "*" in html
    assert PHONE not in html  # the phone is never shown back


def test_progress_needs_a_lookup(client, case):
    response = client.get(PROGRESS)
    assert response.status_code == 302 and response["Location"] == LOOKUP


def test_verified_case_expires(client, case, monkeypatch):
    verified_client(client, case)
    later = time.time() + citizen_views.VERIFIED_SECONDS + 1
    monkeypatch.setattr(citizen_views.time, "time", lambda: later)
    response = client.get(PROGRESS)
    assert response.status_code == 302 and response["Location"] == LOOKUP


def test_lookup_is_rate_limited_per_ip(client, case):
    data = {"code": case.query_code, "phone_last4": "0000"}
    for n in range(limits.LOOKUP_PER_IP.limit):
        data["code"] = f"ABCD{n:04d}"
        assert client.post(LOOKUP, data).status_code == 400
    response = client.post(LOOKUP, {"code": case.query_code, "phone_last4": PHONE[-4:]})
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()


def test_lookup_is_rate_limited_per_code(client, case):
    data = {"code": case.query_code, "phone_last4": "0000"}
    for n in range(limits.LOOKUP_PER_CODE.limit):
        response = client.post(LOOKUP, data, REMOTE_ADDR=f"10.2.0.{n}")
        assert response.status_code == 400
    data["phone_last4"] = PHONE[-4:]
    response = client.post(LOOKUP, data, REMOTE_ADDR="10.2.9.9")
    assert response.status_code == 429 and "该查询码尝试次数过多" in response.content.decode()


# --- Rating and reopening ---------------------------------------------------------------------


def test_no_rating_form_while_the_case_is_open(client, case):
    verified_client(client, case)
    html = client.get(PROGRESS).content.decode()
    assert "满意度评价" not in html and "问题没有解决" not in html
    response = client.post(reverse("intake:rate"), {"score": "5"})
    assert response.status_code == 400 and "纠纷办结后才能评价" in response.content.decode()
    assert CitizenRating.objects.count() == 0


def test_rate_once_then_refused(client, world, case):
    conclude(case, world)
    verified_client(client, case)
    html = client.get(PROGRESS).content.decode()
    assert "满意度评价" in html and "问题没有解决" in html
    response = client.post(reverse("intake:rate"), {"score": "4", "comment": "调解员很耐心"})
    assert response.status_code == 302
    rating = CitizenRating.objects.get()
    assert rating.score == 4 and rating.comment == "调解员很耐心"
    html = client.get(PROGRESS).content.decode()
    assert "感谢您的评价" in html and "满意度评价" not in html and "4星" in html
    again = client.post(reverse("intake:rate"), {"score": "5"})
    assert again.status_code == 400 and "您已评价过本次办理结果" in again.content.decode()
    assert CitizenRating.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "请选择1到5星"), ({"score": "6"}, "请选择1到5星"), ({"score": "0"}, "请选择1到5星")],
)
def test_bad_rating_is_refused(client, world, case, data, message):
    conclude(case, world)
    verified_client(client, case)
    response = client.post(reverse("intake:rate"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert CitizenRating.objects.count() == 0


def test_rate_and_reopen_need_a_verified_session(client, world, case):
    conclude(case, world)
    for name in ("intake:rate", "intake:reopen"):
        response = client.post(reverse(name), {"score": "5", "reason": "没解决"})
        assert response.status_code == 302 and response["Location"] == LOOKUP
    assert CitizenRating.objects.count() == 0
    case.refresh_from_db()
    assert case.status == Status.FOLLOW_UP


def test_not_solved_reopens_the_case(client, world, case):
    conclude(case, world)
    verified_client(client, case)
    empty = client.post(reverse("intake:reopen"), {"reason": " "})
    assert empty.status_code == 400 and "请说明仍未解决的情况" in empty.content.decode()
    response = client.post(reverse("intake:reopen"), {"reason": "对方没有按协议停工"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVE and case.reopen_count == 1
    html = client.get(PROGRESS).content.decode()
    assert "纠纷已重新进入化解环节" in html and "对方没有按协议停工" in html
    assert "满意度评价" not in html
    again = client.post(reverse("intake:reopen"), {"reason": "再次"})
    assert again.status_code == 400 and "纠纷尚在办理中" in again.content.decode()


def test_ping(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("intake:ping"))
    assert response.status_code == 200 and response.content == b"ok"
