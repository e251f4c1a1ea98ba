"""Phone and ID numbers inside free text are masked everywhere unless revealed (logged), and
every look at a case's detail is on the access log."""

import pytest
from django.test import Client
from django.urls import reverse

from zongzhi.api.models import ApiToken, Open311Client
from zongzhi.api.tests.conftest import citizen_case
from zongzhi.api.tests.test_open311_requests import form as open311_form
from zongzhi.cases import services as case_services
from zongzhi.cases.models import Case
from zongzhi.intake import services as intake
from zongzhi.intake.tests.test_citizen_pages import conclude, verified_client
from zongzhi.privacy.masking import mask_free_text
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.testing.factories import UserFactory, make_case

MOBILE, LANDLINE, ID_NUMBER = "13912345678", "0877-2012345", "530402199001011238"
TEXT = f"王五（电话{MOBILE}，身份证{ID_NUMBER}）与邻居争执，邻居座机{LANDLINE}。"
CLEAR = (MOBILE, LANDLINE, ID_NUMBER, "2012345")
Kind = PersonalDataAccess.Kind


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"电话{MOBILE}。", "电话139****5678。"),
        ("电话 +86 139-1234-5678 或 0086 13912345678", "电话 139****5678 或 139****5678"),
        ("139 1234 5678", "139****5678"),
        # Full-width digits, as a Chinese input method types them.
        ("电话１３９１２３４５６７８。", "电话139****5678。"),
        ("＋８６ １３９－１２３４－５６７８", "139****5678"),
        ("证５３０４０２１９９００１０１１２３Ｘ", "证5304**********123X"),
        ("座机（０８７７）２０１２３４５", "座机087****2345"),
        (f"座机{LANDLINE}", "座机087****2345"),
        ("座机(0877)2012345", "座机087****2345"),
        ("座机010-62345678", "座机010****5678"),
        (f"身份证{ID_NUMBER}号", "身份证5304**********1238号"),
        ("身份证53040219900101123x", "身份证5304**********123x"),
        ("旧证530402900101123", "旧证5304*******1123"),
        # Not personal numbers: amounts, dates, house numbers, longer digit runs.
        ("赔偿120000元，2026年11月29日，3栋12号", "赔偿120000元，2026年11月29日，3栋12号"),
        ("订单2026112912345678901", "订单2026112912345678901"),
        ("", ""),
    ],
)
def test_mask_free_text(text, masked):
    assert mask_free_text(text) == masked


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def token_client():
    def make(user) -> Client:
        _, raw = ApiToken.issue(user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def open311_key(db):
    return Open311Client.issue("市民热线App", "zongzhi.local")[1]


@pytest.fixture
def wordy_case(world):
    case = make_case(
        world.east.village,
        world.east.clerk,
        title=f"王五{MOBILE}反映邻里纠纷",
        description=TEXT,
        location_text=f"玉兴路8号，门卫{LANDLINE}",
    )
    case_services.add_comment(case, f"已联系王五 {MOBILE}", actor=world.east.clerk)
    return case


def assert_masked(text: str) -> None:
    for number in CLEAR:
        assert number not in text
    assert "139****5678" in text


def test_case_page_masks_the_text_and_logs_the_view(world, login, wordy_case):
    response = login(world.east.clerk).get(reverse("workbench:case_detail", args=[wordy_case.pk]))
    assert_masked(response.content.decode())
    access = PersonalDataAccess.objects.get()
    assert access.kind == Kind.VIEWED_CASE and access.viewer == world.east.clerk
    assert (access.subject_type, access.subject_id) == ("cases.case", wordy_case.pk)
    assert access.accessed_at is not None and access.ip_address == "127.0.0.1"


def test_queue_and_home_mask_the_title(world, login, wordy_case):
    client = login(world.east.clerk)
    for url in (reverse("workbench:queue"), reverse("workbench:home")):
        html = client.get(url).content.decode()
        assert MOBILE not in html


def test_revealing_the_text_shows_it_in_clear_and_logs_it(world, login, wordy_case):
    client = login(world.east.clerk)
    response = client.post(reverse("workbench:case_text_reveal", args=[wordy_case.pk]))
    html = response.content.decode()
    for number in (MOBILE, LANDLINE, ID_NUMBER):
        assert number in html
    assert f"已联系王五 {MOBILE}" in html and "本次查看已记录" in html
    access = PersonalDataAccess.objects.get()
    assert access.kind == Kind.REVEALED and access.subject_id == wordy_case.pk
    assert access.fields == "title,description,location_text,notes"
    assert wordy_case.number in access.purpose


def test_reveal_outside_the_area_is_a_404_and_logs_nothing(world, login, wordy_case):
    client = login(world.west.clerk)
    url = reverse("workbench:case_text_reveal", args=[wordy_case.pk])
    assert client.post(url).status_code == 404
    assert client.get(reverse("workbench:case_detail", args=[wordy_case.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_reveal_needs_a_post(world, login, wordy_case):
    url = reverse("workbench:case_text_reveal", args=[wordy_case.pk])
    assert login(world.east.clerk).get(url).status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_staff_api_masks_the_text_and_logs_each_view(world, wordy_case, token_client):
    client = token_client(world.east.clerk)
    detail = client.get(f"/api/v1/cases/{wordy_case.pk}")
    assert detail.status_code == 200
    assert_masked(detail.content.decode())
    timeline = client.get(f"/api/v1/cases/{wordy_case.pk}/timeline")
    assert_masked(timeline.content.decode())
    listing = client.get("/api/v1/cases")
    assert MOBILE not in listing.content.decode()
    rows = PersonalDataAccess.objects.order_by("id")
    assert [(r.kind, r.subject_id, r.viewer) for r in rows] == [
        (Kind.VIEWED_CASE, wordy_case.pk, world.east.clerk),
        (Kind.VIEWED_CASE, wordy_case.pk, world.east.clerk),
    ]


def test_staff_api_reveals_the_text_through_the_logged_path(world, wordy_case, token_client):
    client = token_client(world.east.clerk)
    response = client.post(f"/api/v1/cases/{wordy_case.pk}/text/reveal")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == TEXT and MOBILE in body["title"]
    assert [n["note"] for n in body["notes"]] == [f"已联系王五 {MOBILE}"]
    assert PersonalDataAccess.objects.get().kind == Kind.REVEALED
    other = token_client(world.west.clerk).post(f"/api/v1/cases/{wordy_case.pk}/text/reveal")
    assert other.status_code == 404 and PersonalDataAccess.objects.count() == 1


def test_open311_full_view_masks_the_text(world, client, open311_key):
    data = open311_form(world, open311_key, description=TEXT, address_string=f"门卫{LANDLINE}")
    filed = client.post("/open311/v2/requests.json", data).json()[0]
    own = client.get(
        f"/open311/v2/requests/{filed['service_request_id']}.json", {"api_key": open311_key}
    )
    (row,) = own.json()
    assert "139****5678" in row["description"] and "087****2345" in row["address"]
    for number in CLEAR:
        assert number not in own.content.decode()


def test_citizen_timeline_masks_the_citizens_own_words(world, client):
    case = citizen_case(world)
    conclude(case, world)
    intake.reopen(case, f"还是没解决，请打我另一个电话{MOBILE}")
    case = Case.objects.get(pk=case.pk)
    notes = " ".join(event.note for event in intake.public_timeline(case))
    assert MOBILE not in notes and "139****5678" in notes
    html = verified_client(client, case).get(reverse("intake:progress")).content.decode()
    assert MOBILE not in html and "139****5678" in html


def test_admin_masks_the_text_and_logs_the_view(world, client, wordy_case):
    admin = UserFactory(
        username="root", is_staff=True, is_superuser=True, place=world.county, role="administrator"
    )
    client.force_login(admin)
    listing = client.get(reverse("admin:cases_case_changelist"))
    assert listing.status_code == 200 and MOBILE not in listing.content.decode()
    detail = client.get(reverse("admin:cases_case_change", args=[wordy_case.pk]))
    assert detail.status_code == 200
    assert_masked(detail.content.decode())
    assert MOBILE not in str(wordy_case)
    access = PersonalDataAccess.objects.get()
    assert (access.kind, access.viewer, access.subject_id) == (
        Kind.VIEWED_CASE,
        admin,
        wordy_case.pk,
    )
