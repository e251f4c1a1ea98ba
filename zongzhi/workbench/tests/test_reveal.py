from django.urls import reverse

from zongzhi.cases.choices import PartyRole
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.testing.factories import ID_NUMBERS, make_case


def reveal_url(case, party):
    return reverse("workbench:case_reveal", args=[case.pk, party.pk])


def test_reveal_shows_clear_values_and_logs_the_read(world, login, east_case):
    applicant = east_case.parties.get(role="applicant")
    response = login(world.east.clerk).post(
        reveal_url(east_case, applicant), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the htmx partial
    assert "张三" in html and "13812345678" in html and ID_NUMBERS[PartyRole.APPLICANT] in html
    assert "玉兴路8号" in html
    assert "本次查看已记录" in html
    access = PersonalDataAccess.objects.get()
    assert access.viewer == world.east.clerk
    assert access.subject_type == "cases.party"
    assert access.subject_id == applicant.pk
    assert access.fields == "name,id_number,phone,address"
    assert east_case.number in access.purpose
    assert access.place_path == east_case.place_path
    assert access.ip_address == "127.0.0.1"


def test_reveal_without_htmx_renders_a_full_page(world, login, east_case):
    applicant = east_case.parties.get(role="applicant")
    response = login(world.east.clerk).post(reveal_url(east_case, applicant))
    html = response.content.decode()
    assert "<html" in html and "13812345678" in html
    assert "返回纠纷" in html
    assert PersonalDataAccess.objects.count() == 1


def test_reveal_is_post_only(world, login, east_case):
    applicant = east_case.parties.get(role="applicant")
    response = login(world.east.clerk).get(reveal_url(east_case, applicant))
    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_party_of_another_case_is_404(world, login, east_case):
    other = make_case(world.east.village, world.east.clerk)
    stranger = other.parties.first()
    response = login(world.east.clerk).post(reveal_url(east_case, stranger))
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_only_the_revealed_party_is_unmasked(world, login, east_case):
    client = login(world.east.clerk)
    respondent = east_case.parties.get(role="respondent")
    html = client.post(reveal_url(east_case, respondent)).content.decode()
    assert "李四" in html and "张三" not in html
    # The case page stays masked after a reveal.
    page = client.get(reverse("workbench:case_detail", args=[east_case.pk])).content.decode()
    assert "13812345678" not in page
