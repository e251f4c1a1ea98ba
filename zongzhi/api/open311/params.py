"""Open311 parameters (form fields of a POST, query of a GET) read through
zongzhi.lib.cleaning, so Open311 refuses what the API and the pages refuse: each failure is
an Open311Error (400) naming the parameter."""

from datetime import datetime, time, timedelta

from zongzhi.api.open311.formats import SHANGHAI, Open311Error
from zongzhi.lib import cleaning

MOMENT_HINT = "应为 w3c 格式，例如 2026-01-01T00:00:00+08:00 或 2026-01-01"


def check_text(params) -> None:
    """Refuse the request if any parameter's name or value carries a control character."""
    pairs = ((name, value) for name, values in params.lists() for value in values)
    name = cleaning.first_unclean(pairs)
    if name is not None:
        raise Open311Error(400, f"{name or '参数名'}{cleaning.CONTROL_MESSAGE}")


def integer(raw: str, name: str, *, minimum: int, maximum: int) -> int:
    """A whole number in ASCII digits within minimum…maximum."""
    try:
        return cleaning.parse_int(raw, minimum=minimum, maximum=maximum)
    except cleaning.InvalidInput as error:
        raise Open311Error(400, f"{name}{error.message}") from error


def moment(raw: str, name: str, *, end_of_day: bool = False) -> datetime:
    """A w3c datetime, or a date alone: its first moment in Asia/Shanghai, or with
    `end_of_day` its last, so that an end date includes its own day."""
    # A '+' in the offset arrives as a space when the client did not encode it.
    text = raw.strip()
    text = text.replace(" ", "+") if "T" in text else text
    try:
        if "T" not in text and " " not in text:
            day = cleaning.parse_date(text)
            start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
            return start + timedelta(days=1) - timedelta(microseconds=1) if end_of_day else start
        return cleaning.parse_moment(text, SHANGHAI)
    except cleaning.InvalidInput as error:
        raise Open311Error(400, f"{name}{error.message}，{MOMENT_HINT}") from error
