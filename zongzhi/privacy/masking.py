"""How personal data looks on a screen that has not been granted a reveal: partly hidden."""

import re


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; keeps the surname's first character only."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; short numbers keep their last two digits only."""
    digits = (phone or "").strip()
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 2:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(number: str) -> str:
    """530402199001011238 → 5304**********1238 (region kept, birth date hidden)."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_address(address: str) -> str:
    """Keeps the first six characters (the area), hides the rest: 红塔区玉兴街道******."""
    address = (address or "").strip()
    if len(address) <= 6:
        return address[:2] + "*" * max(len(address) - 2, 0)
    return address[:6] + "*" * min(len(address) - 6, 8)


# Personal numbers inside free text (descriptions, locations, notes). Digits are matched
# whole (no digit on either side), so a number is never masked from its middle.
_ID_18 = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
_ID_15 = r"[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
_MOBILE = r"(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d){8}"
_LANDLINE = r"(?:\(0\d{2,3}\)|0\d{2,3})[\s\-]?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?"
_PERSONAL_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z])(?:(?P<id>{_ID_18}|{_ID_15})|(?P<phone>{_MOBILE}|{_LANDLINE}))(?![0-9A-Za-z])"
)


# Full-width digits and signs (what a Chinese input method types: １３９…, ＋８６, －) are read
# as their ASCII twins, one character for one, so the match spans stay those of the text.
_HALF_WIDTH = str.maketrans(
    {chr(0xFF10 + d): str(d) for d in range(10)}
    | {"\uff0b": "+", "\uff0d": "-", "\uff08": "(", "\uff09": ")", "\uff38": "X", "\uff58": "x"}
)


def _mask_match(match: re.Match) -> str:
    if match["id"]:
        return mask_id_number(match["id"])
    digits = "".join(ch for ch in match["phone"] if ch.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return mask_phone(digits)


def mask_free_text(text: str) -> str:
    """Free text with the phone numbers (mobiles, landlines with area code) and resident ID
    numbers (18 or 15 characters, GB 11643) inside it masked: “电话13812345678” →
    “电话138****5678”. Everything else is kept; names in prose cannot be told apart reliably
    and are left to the logged reveal of the case's text."""
    if not text:
        return text or ""
    parts, end = [], 0
    for match in _PERSONAL_NUMBER.finditer(text.translate(_HALF_WIDTH)):
        parts += [text[end : match.start()], _mask_match(match)]
        end = match.end()
    return "".join([*parts, text[end:]])
