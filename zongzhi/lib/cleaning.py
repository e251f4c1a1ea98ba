"""Input cleaning shared by every channel: text, whole numbers, dates and moments.

The one home of "what raw input may look like" before it reaches the database. The Django
forms (zongzhi.lib.forms), the JSON API's schemas (zongzhi.api.inputs), Open311's parsing
and the bad-request middleware all call these functions, so the page, the API and Open311
refuse the same things:

- text with NUL or another control character (tab, newline and carriage return are
  allowed) or a lone surrogate: PostgreSQL cannot store the first and no codec the second;
- numbers that are not plain ASCII digits (Python's `int()` takes "٣" and `str.isdigit()`
  says yes to "²") or that fall outside a stated range;
- dates that are not ISO `YYYY-MM-DD` in ASCII, or lie outside MIN_DATE…MAX_DATE, so that a
  day or a time zone added to them cannot overflow.

Plain Python, no Django: every failure is an InvalidInput with a Chinese message.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, tzinfo

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
ALLOWED_CONTROLS = frozenset("\t\n\r")
CONTROL_MESSAGE = "含有不允许的控制字符"
# Digits only; the length cap keeps int() cheap and the value far from any database limit.
_INTEGER = re.compile(r"(-?)([0-9]{1,18})", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# ISO 8601 date and time, as Open311's w3c format: T or space, seconds and fraction optional,
# Z or ±hh:mm (or ±hhmm) optional.
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?",
    re.ASCII,
)


class InvalidInput(ValueError):
    """Raw input refused; `message` is Chinese and does not repeat the input."""

    def __init__(self, message: str, code: str = "invalid_input"):
        super().__init__(message)
        self.message = message
        self.code = code


def is_forbidden_character(char: str) -> bool:
    """A control character other than tab/newline/CR (C0, DEL, C1) or a lone surrogate."""
    category = unicodedata.category(char)
    return (category == "Cc" and char not in ALLOWED_CONTROLS) or category == "Cs"


def has_forbidden_characters(text: str) -> bool:
    """Whether `text` holds a character no field may carry."""
    # The common case (printable text) without a per-character call.
    if text.isprintable():
        return False
    return any(is_forbidden_character(char) for char in text)


def clean_text(value: str) -> str:
    """`value` unchanged if it carries no forbidden character; InvalidInput otherwise."""
    if has_forbidden_characters(value):
        raise InvalidInput(CONTROL_MESSAGE, code="control_character")
    return value


def first_unclean(pairs: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first (name, value) pair whose name or value is not clean text."""
    for name, value in pairs:
        if has_forbidden_characters(name) or has_forbidden_characters(value):
            return "" if has_forbidden_characters(name) else name
    return None


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """Whether `text` is only the digits 0-9 (and exactly `length` of them, if given)."""
    return bool(text) and text.isascii() and text.isdigit() and length in (None, len(text))


def parse_int(raw: str, *, minimum: int, maximum: int) -> int:
    """An integer written in ASCII digits (an optional leading minus), within the range."""
    match = _INTEGER.fullmatch(raw.strip())
    if match is None:
        raise InvalidInput("应为整数（仅限阿拉伯数字）")
    value = int(match.group(0))
    if not minimum <= value <= maximum:
        raise InvalidInput(f"应在{minimum}到{maximum}之间", code="out_of_range")
    return value


def check_int(value: int, *, minimum: int, maximum: int) -> int:
    """An already parsed integer, within the range."""
    if not minimum <= value <= maximum:
        raise InvalidInput(f"应在{minimum}到{maximum}之间", code="out_of_range")
    return value


def check_date(value: date) -> date:
    """A date within MIN_DATE…MAX_DATE (the date part of a datetime is checked)."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        message = f"日期应在{MIN_DATE.isoformat()}至{MAX_DATE.isoformat()}之间"
        raise InvalidInput(message, code="out_of_range")
    return value


def parse_date(raw: str) -> date:
    """An ISO date `YYYY-MM-DD` in ASCII digits that exists and lies in the sane range."""
    text = raw.strip()
    if not _DATE.fullmatch(text):
        raise InvalidInput("日期格式无效，应为 YYYY-MM-DD，例如 2026-01-31")
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput("日期不存在，请检查年月日") from error
    return check_date(day)


def parse_moment(raw: str, default_zone: tzinfo) -> datetime:
    """An ISO date and time (offset optional; without one, in `default_zone`), aware, and
    within the sane range. A bare date is refused here: see `parse_date`."""
    text = raw.strip()
    if not _MOMENT.fullmatch(text):
        raise InvalidInput("时间格式无效，应为 w3c 格式，例如 2026-01-01T00:00:00+08:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput("时间不存在，请检查年月日和时分秒") from error
    check_date(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=default_zone)
