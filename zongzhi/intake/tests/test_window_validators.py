from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zongzhi.privacy.validators import clean_id_number, id_check_char


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def test_check_character_of_the_standard_example():
    # The example of GB 11643-1999: 11010519491231002X.
    assert id_check_char("11010519491231002") == "X"
    assert clean_id_number("11010519491231002x") == "11010519491231002X"


def test_valid_id_number_is_normalised():
    number = valid_id("53040219900101123")
    assert clean_id_number(f" {number[:6]} {number[6:]} ") == number
    assert clean_id_number("") == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5304021990010112", "身份证号码应为18位"),
        ("53040219900101123A", "身份证号码应为18位"),
        ("030402199001011238", "身份证号码应为18位"),
        (valid_id("53040219901301123"), "出生日期无效"),
        (valid_id("53040218890101123"), "出生日期无效"),
        (valid_id("53040230000101123"), "出生日期无效"),
    ],
)
def test_invalid_id_numbers(value, message):
    with pytest.raises(ValidationError) as error:
        clean_id_number(value, today=date(2026, 1, 1))
    assert message in error.value.messages[0]


def test_wrong_check_character_is_refused():
    number = valid_id("53040219900101123")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        clean_id_number(wrong)
    assert "校验位不正确" in error.value.messages[0]
