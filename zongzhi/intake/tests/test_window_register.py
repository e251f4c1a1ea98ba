import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole, RiskGrade, Source, Status
from zongzhi.cases.errors import NotPermitted
from zongzhi.cases.models import Case, CaseAttachment
from zongzhi.privacy.validators import id_check_char

URL = reverse("intake:window_register")
APPLICANT_ID = "53040219900101123" + id_check_char("53040219900101123")
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def png_file(name="现场.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@pytest.fixture
def clerk(world, login):
    return login(world.east.clerk)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def valid_data(world, **changes) -> dict:
    data = {
        "source": "window",
        "dispute_type": world.dispute_type.pk,
        "title": "邻居占道堆放杂物引发争执",
        "description": "双方因院墙外通道堆放柴火发生口角，要求调解。",
        "place": world.east.village.pk,
        "location_text": "玉兴路8号院门口",
        "risk": "medium",
        "people_count": "3",
        "applicant-name": "张三",
        "applicant-id_number": APPLICANT_ID,
        "applicant-phone": "138 1234 5678",
        "applicant-address": "玉兴路8号",
        "respondent-name": "李四",
        "respondent-id_number": "",
        "respondent-phone": "0877-2012345",
        "respondent-address": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_form_renders_with_window_default_and_my_places(world, clerk):
    response = clerk.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["source"].value() == Source.WINDOW
    assert set(form.fields["place"].queryset) == {
        world.east.place,
        world.east.village,
        world.east.grid,
    }
    sources = {value for value, _ in form.fields["source"].choices}
    assert sources == {
        "window",
        "grid",
        "hotline_12345",
        "police_110",
        "petition",
        "weather_station",
    }
    html = response.content.decode()
    assert "统一登记" in html and "申请人" in html and "被申请人" in html
    assert 'enctype="multipart/form-data"' in html
    assert "multiple" in html


def test_register_with_parties_and_attachments(world, clerk):
    data = valid_data(world)
    data["attachments"] = [png_file(), SimpleUploadedFile("协议.pdf", PDF_BYTES)]
    response = clerk.post(URL, data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workbench:case_detail", args=[case.pk])
    assert case.status == Status.REPORT
    assert case.source == Source.WINDOW
    assert case.risk == RiskGrade.MEDIUM
    assert case.people_count == 3
    assert case.place == world.east.village
    assert case.created_by == world.east.clerk
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    assert applicant.id_number == APPLICANT_ID
    assert applicant.phone == "13812345678"
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    assert respondent.phone == "0877-2012345"
    assert sorted(CaseAttachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    page = clerk.get(response.url).content.decode()
    assert f"登记成功：案件编号 {case.number}，群众查询码 {case.query_code}" in page


def test_respondent_may_be_left_out(world, clerk):
    data = valid_data(world, **{"respondent-name": "", "respondent-phone": ""})
    assert clerk.post(URL, data).status_code == 302
    assert Case.objects.get().parties.count() == 1


def test_other_staff_channels(world, clerk):
    clerk.post(URL, valid_data(world, source="hotline_12345", place=world.east.grid.pk))
    case = Case.objects.get()
    assert case.source == Source.HOTLINE_12345
    assert case.place == world.east.grid


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "请填写事由"),
        ({"description": ""}, "description", "请填写纠纷详情"),
        ({"title": "字" * 121}, "title", "事由不能超过 120 个字"),
        ({"dispute_type": ""}, "dispute_type", "请选择纠纷类型"),
        ({"dispute_type": "999"}, "dispute_type", "所选纠纷类型无效，请重新选择"),
        ({"source": "citizen"}, "source", "所选来源渠道无效，请重新选择"),
        ({"source": "open311"}, "source", "所选来源渠道无效，请重新选择"),
        ({"risk": "extreme"}, "risk", "所选风险等级无效，请重新选择"),
        ({"place": ""}, "place", "请选择所属地点"),
        ({"people_count": "0"}, "people_count", "涉及人数至少为 1 人"),
        ({"people_count": "两个"}, "people_count", "涉及人数须为整数"),
    ],
)
def test_case_field_errors(world, clerk, changes, field, message):
    response = clerk.post(URL, valid_data(world, **changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert "登记未保存" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "prefix", "field", "message"),
    [
        ({"applicant-name": ""}, "applicant", "name", "请填写申请人姓名"),
        (
            {"applicant-id_number": APPLICANT_ID[:17] + ("0" if APPLICANT_ID[17] != "0" else "1")},
            "applicant",
            "id_number",
            "身份证号码校验位不正确，请核对",
        ),
        ({"applicant-id_number": "123"}, "applicant", "id_number", "身份证号码应为18位"),
        ({"applicant-phone": "12345"}, "applicant", "phone", "请输入正确的联系电话"),
        ({"respondent-phone": "abc"}, "respondent", "phone", "请输入正确的联系电话"),
        (
            {"respondent-name": "", "respondent-phone": "13812345678"},
            "respondent",
            "name",
            "填写了被申请人的其他信息，请同时填写姓名",
        ),
    ],
)
def test_party_field_errors(world, clerk, changes, prefix, field, message):
    response = clerk.post(URL, valid_data(world, **changes))
    assert response.status_code == 400
    errors = response.context[prefix].errors[field]
    assert message in errors[0]
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_place_outside_my_area_is_refused(world, clerk):
    response = clerk.post(URL, valid_data(world, place=world.west.village.pk))
    assert response.context["form"].errors["place"] == ["所选地点不在您的管辖范围内"]
    assert not Case.objects.exists()


def test_inactive_dispute_type_is_refused(world, clerk):
    world.dispute_type.is_active = False
    world.dispute_type.save()
    response = clerk.post(URL, valid_data(world))
    assert response.context["form"].errors["dispute_type"] == ["所选纠纷类型无效，请重新选择"]


def test_bad_attachment_saves_nothing(world, clerk):
    data = valid_data(world)
    data["attachments"] = [png_file(), SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", "image/png")]
    response = clerk.post(URL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert errors == ["文件“病毒.exe”不是有效的 JPG、PNG、WebP 图片或 PDF 文件，只能上传这几种格式"]
    assert "附件需要重新选择" in response.content.decode()
    assert not Case.objects.exists()
    assert not CaseAttachment.objects.exists()


def test_too_many_attachments(world, clerk):
    data = valid_data(world)
    data["attachments"] = [png_file(f"{i}.png") for i in range(11)]
    response = clerk.post(URL, data)
    assert response.context["form"].errors["attachments"] == ["一次最多上传 10 个文件"]
    assert not Case.objects.exists()


def test_service_error_is_shown_and_nothing_saved(world, clerk, monkeypatch):
    def refuse(*args, **kwargs):
        raise NotPermitted("所选地点不在您的管辖范围内", field="place")

    monkeypatch.setattr(services, "register_case", refuse)
    response = clerk.post(URL, valid_data(world))
    assert response.status_code == 400
    assert response.context["form"].errors["place"] == ["所选地点不在您的管辖范围内"]


def test_failed_attachment_rolls_back_the_case(world, clerk, monkeypatch):
    def broken(*args, **kwargs):
        raise NotPermitted("该纠纷不在您的管辖范围内")

    monkeypatch.setattr(services, "add_attachment", broken)
    data = valid_data(world)
    data["attachments"] = [png_file()]
    response = clerk.post(URL, data)
    assert response.status_code == 400
    assert "该纠纷不在您的管辖范围内" in response.content.decode()
    assert not Case.objects.exists()


def test_roles_that_cannot_register_are_refused(world, login):
    client = login(world.east.handler)
    response = client.get(URL)
    assert response.status_code == 403
    assert "入驻部门不能登记纠纷" in response.content.decode()
    assert client.post(URL, valid_data(world)).status_code == 403
    assert not Case.objects.exists()


def test_grid_worker_registers_in_their_grid_only(world, login):
    client = login(world.east.grid_worker)
    options = set(client.get(URL).context["form"].fields["place"].queryset)
    assert options == {world.east.grid}
    response = client.post(URL, valid_data(world, place=world.east.grid.pk, source="grid"))
    assert response.status_code == 302


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
