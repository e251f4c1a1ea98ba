"""Readable, unique case numbers per county and year, and citizens' query codes."""

import secrets

from django.db import connection

from zongzhi.cases.models import Case, CaseNumberSequence
from zongzhi.places.models import Place

# No 0/O, 1/I/L: a citizen reads the code off a phone screen and types it back.
QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8


def next_case_number(county: Place, year: int) -> str:
    """`530402-2026-000123`: county code, year, and a sequence that never repeats.

    One UPSERT bumps (or starts) the county's counter and returns it, atomic on SQLite and
    PostgreSQL alike. The counter row stays locked until the transaction ends, so callers
    take the number as the last step of their transaction (see services.register_case).
    """
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (county_id, year, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (county_id, year) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [county.pk, year],
        )
        value = cursor.fetchone()[0]
    return f"{county.code}-{year}-{value:06d}"


def new_query_code() -> str:
    while True:
        code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
        if not Case.objects.filter(query_code=code).exists():
            return code


def normalise_query_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())
