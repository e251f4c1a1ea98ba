"""Checks for personal data typed in by staff: resident ID numbers (phones: `privacy.phones`).

Each `clean_*` function returns the value in its stored form or raises a ValidationError with a
Chinese message; forms call them from their `clean_<field>` methods.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^[1-9]\d{16}[\dX]$")


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are given."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def clean_id_number(value: str, *, today: date | None = None) -> str:
    """A valid 18-character resident ID number (居民身份证号码), upper-cased, or an error."""
    number = (value or "").strip().replace(" ", "").upper()
    if not number:
        return ""
    if not ID_PATTERN.match(number):
        raise ValidationError("身份证号码应为18位，前17位为数字，最后一位为数字或X", code="format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date") from None
    if born.year < 1900 or born > (today or date.today()):
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对", code="checksum")
    return number


def is_valid_id_number(value: str) -> bool:
    try:
        clean_id_number(value)
    except ValidationError:
        return False
    return True


def validate_id_number(value: str) -> None:
    clean_id_number(value)
