"""The one phone-number rule: every channel stores, hashes and counts a phone in this form.

`+86 139-1234-5678`, `0086 13912345678` and `139 1234 5678` are one person: all become
`13912345678`. A landline keeps its area code and an optional extension: `0877-2012345`,
`0877-2012345-123`. Parsing and the number plan are Google's libphonenumber (`phonenumbers`),
so new mobile ranges and area codes arrive with the library, not with our own patterns.
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import PhoneNumberType

REGION = "CN"
PHONE_MESSAGE = "请输入正确的联系电话：11位手机号码，或带区号的固定电话（如 0877-2012345）"
MOBILE_MESSAGE = "请输入正确的11位手机号码"
# An extension after the landline: "-123", "转123", "ext 123".
EXTENSION = re.compile(r"^(?P<number>.+?)\s*(?:-|转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.I)
FIXED_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    return number


def _has_area_code(text: str) -> bool:
    """Whether a landline was written with its area code (0877-…, or after +86): without
    one, seven or eight digits can be read as some other city's number."""
    digits = "".join(
        str(unicodedata.digit(ch)) for ch in text if unicodedata.digit(ch, None) is not None
    )
    stripped = text.lstrip()
    if stripped.startswith("+") or digits.startswith("0086"):
        return True
    return digits.startswith("0")


def _landline(number: phonenumbers.PhoneNumber, extension: str = "") -> str:
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number) or 2
    formatted = f"0{national[:area]}-{national[area:]}"
    return f"{formatted}-{extension}" if extension else formatted


def normalise_phone(value: str, *, mobile_only: bool = False) -> str:
    """The stored form of a mainland phone number, or a ValidationError in Chinese.

    Mobile: 11 digits. Landline: 0 + area code, a hyphen, the number (and `-extension`).
    An empty value stays empty; callers decide whether a phone is required.
    """
    text = (value or "").strip()
    if not text:
        return ""
    message = MOBILE_MESSAGE if mobile_only else PHONE_MESSAGE
    code = "mobile" if mobile_only else "phone"
    if len(text) > 40:
        raise ValidationError(message, code=code)
    number = _parse(text)
    extension = ""
    if number is None and not mobile_only and (match := EXTENSION.match(text)):
        number, extension = _parse(match["number"]), match["ext"]
        if number is not None and phonenumbers.number_type(number) not in FIXED_TYPES:
            number = None
    if number is None:
        raise ValidationError(message, code=code)
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return phonenumbers.national_significant_number(number)
    if kind in FIXED_TYPES and not mobile_only and _has_area_code(text):
        return _landline(number, extension or (number.extension or ""))
    raise ValidationError(message, code=code)


def phone_key(value: str) -> str:
    """The form a phone is hashed and counted in: normalised when it is a valid number,
    otherwise the bare digits (old rows typed before the rule still match themselves)."""
    try:
        return normalise_phone(value)
    except ValidationError:
        return "".join(ch for ch in value or "" if ch.isdigit())
