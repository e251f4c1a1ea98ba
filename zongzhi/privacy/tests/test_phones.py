import pytest
from django.core.exceptions import ValidationError

from zongzhi.privacy.phones import normalise_phone, phone_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("0086 139 1234 5678", "13912345678"),
        ("008613912345678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),  # full-width digits from a Chinese IME
        ("0877-2012345", "0877-2012345"),
        ("08772012345", "0877-2012345"),
        ("(0877) 201 2345", "0877-2012345"),
        ("+86 877 2012345", "0877-2012345"),
        ("010-62345678", "010-62345678"),
        ("0871-65123456", "0871-65123456"),
        ("0877-2012345-801", "0877-2012345-801"),
        ("0877-2012345转801", "0877-2012345-801"),
        ("", ""),
    ],
)
def test_every_spelling_of_a_number_is_one_number(value, expected):
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    ["12812345678", "1391234567", "139123456789", "2012345", "abc", "0877-012345", "12345",
     "+1 650 253 0000", "13912345678-12", "1" * 60],
)  # fmt: skip
def test_bad_numbers_get_a_chinese_message(value):
    with pytest.raises(ValidationError) as error:
        normalise_phone(value)
    assert "请输入正确的联系电话" in error.value.messages[0]


def test_mobile_only_refuses_a_landline():
    assert normalise_phone("+86 139 1234 5678", mobile_only=True) == "13912345678"
    with pytest.raises(ValidationError) as error:
        normalise_phone("0877-2012345", mobile_only=True)
    assert error.value.messages == ["请输入正确的11位手机号码"]


def test_phone_key_falls_back_to_digits_for_old_rows():
    assert phone_key("+86 139-1234-5678") == phone_key("13912345678") == "13912345678"
    assert phone_key("0877 2012345") == "0877-2012345"
    assert phone_key("12-345") == "12345"
