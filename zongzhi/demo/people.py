"""Invented people for the demo: Chinese names, ID numbers with a valid GB 11643 checksum,
mobile numbers with real operator prefixes. None of them belongs to a real person on purpose;
any match would be chance."""

import random
from datetime import date, timedelta

from zongzhi.privacy.validators import id_check_char

SURNAMES = (
    "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "罗", "郑", "普", "段", "字", "者", "白", "施", "鲁", "沙", "刀", "岩",
)  # fmt: skip
GIVEN_MALE = (
    "建国", "志强", "国华", "永福", "文斌", "家顺", "德明", "光荣", "学文", "正平",
    "海", "勇", "军", "亮", "俊", "华", "明", "刚", "平", "林", "春林", "绍华", "兴祥", "应昌",
)  # fmt: skip
GIVEN_FEMALE = (
    "秀英", "桂芳", "丽萍", "玉兰", "美仙", "春梅", "红梅", "艳", "娟", "芳", "琼",
    "丽", "敏", "燕", "慧", "玉珍", "兰芬", "金凤", "晓燕", "海燕",
)  # fmt: skip
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "157", "158", "159", "173", "177", "180", "182", "183", "187", "188",
    "189", "191", "199",
)  # fmt: skip


def id_number(rng: random.Random, region: str, birth: date, male: bool) -> str:
    """Region (six digits), birth date, a sequence whose last digit is odd for men."""
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def person_name(rng: random.Random, male: bool) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)


def birth_date(rng: random.Random, today: date, min_age: int = 20, max_age: int = 78) -> date:
    return today - timedelta(days=rng.randint(min_age * 365, max_age * 365))
