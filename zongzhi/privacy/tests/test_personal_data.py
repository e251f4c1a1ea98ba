import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from zongzhi.cases.models import Party
from zongzhi.privacy import masking
from zongzhi.privacy.access import reveal
from zongzhi.privacy.crypto import keyed_hash
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.testing.factories import make_case


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (masking.mask_name, "张三", "张*"),
        (masking.mask_name, "欧阳娜娜", "欧***"),
        (masking.mask_name, "李", "李*"),
        (masking.mask_name, "", ""),
        (masking.mask_phone, "13812345678", "138****5678"),
        (masking.mask_phone, "08772012345", "087****2345"),
        (masking.mask_phone, "12345", "***45"),
        (masking.mask_id_number, "530402199001011238", "5304**********1238"),
        (masking.mask_id_number, "53040219900101123X", "5304**********123X"),
        (masking.mask_address, "红塔区玉兴街道玉兴路8号3栋", "红塔区玉兴街********"),
        (masking.mask_address, "玉兴路8号", "玉兴***"),
    ],
)
def test_masks(function, value, masked):
    assert function(value) == masked


def raw_party_row(party_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, id_number, phone, address FROM cases_party WHERE id = %s", [party_id]
        )
        return cursor.fetchone()


def test_sensitive_fields_are_encrypted_at_rest(world):
    case = make_case(world.east.village, world.east.clerk)
    party = case.parties.get(name="张三")
    name, id_number, phone, address = raw_party_row(party.pk)
    assert name == "张三"  # names stay searchable; they are masked on screen
    for stored, clear in [
        (id_number, "530402199001011238"),
        (phone, "13812345678"),
        (address, "玉兴路8号"),
    ]:
        assert clear not in stored and stored.startswith("gAAAA")
    fresh = Party.objects.get(pk=party.pk)
    assert (fresh.id_number, fresh.phone) == ("530402199001011238", "13812345678")


def test_parties_can_be_matched_by_id_number_without_storing_it(world):
    make_case(world.east.village, world.east.clerk)
    make_case(world.west.village, world.west.clerk)
    digest = keyed_hash("530402199001011238")
    assert Party.objects.filter(id_number_hash=digest).count() == 2
    assert keyed_hash(" 530402199001011238 ") == digest


def test_key_rotation_keeps_old_rows_readable(world, settings):
    from cryptography.fernet import Fernet

    old_key = Fernet.generate_key().decode()
    settings.DATA_KEYS = [old_key]
    case = make_case(world.east.village, world.east.clerk)
    party_id = case.parties.get(name="张三").pk
    settings.DATA_KEYS = [Fernet.generate_key().decode(), old_key]
    assert Party.objects.get(pk=party_id).phone == "13812345678"


def test_reveal_is_logged_and_refused_outside_the_area(world):
    case = make_case(world.east.village, world.east.clerk)
    party = case.parties.get(name="张三")
    values = reveal(
        world.east.clerk, party, ["phone", "id_number"], place_path=case.place_path, purpose="回访"
    )
    assert values == {"phone": "13812345678", "id_number": "530402199001011238"}
    access = PersonalDataAccess.objects.get()
    assert (access.viewer, access.subject_id, access.fields) == (
        world.east.clerk,
        party.pk,
        "phone,id_number",
    )
    with pytest.raises(PermissionDenied):
        reveal(world.west.clerk, party, ["phone"], place_path=case.place_path)
    assert PersonalDataAccess.objects.count() == 1
