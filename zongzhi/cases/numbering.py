"""Readable, unique case numbers per county and year, and citizens' query codes."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from zongzhi.cases.models import Case, CaseNumberSequence
from zongzhi.places.models import Place

# No 0/O, 1/I/L: a citizen reads the code off a phone screen and types it back.
QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8


def next_case_number(county: Place, year: int) -> str:
    """`530402-2026-000123`: county code, year, and a sequence that never repeats.

    The counter is bumped with an UPDATE before it is read, so two concurrent registrations
    serialise on the counter row on both SQLite and PostgreSQL. Call inside a transaction.
    """
    bumped = CaseNumberSequence.objects.filter(county=county, year=year).update(
        last_value=F("last_value") + 1
    )
    if not bumped:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(county=county, year=year, last_value=1)
        except IntegrityError:  # created meanwhile by a concurrent registration
            CaseNumberSequence.objects.filter(county=county, year=year).update(
                last_value=F("last_value") + 1
            )
    value = CaseNumberSequence.objects.get(county=county, year=year).last_value
    return f"{county.code}-{year}-{value:06d}"


def new_query_code() -> str:
    while True:
        code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
        if not Case.objects.filter(query_code=code).exists():
            return code


def normalise_query_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())
