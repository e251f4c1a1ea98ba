"""Keyed hashes record their key, and `zongzhi rehash` moves them to a new key."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from zongzhi.cases.models import Party
from zongzhi.privacy.crypto import hash_key_id, key_id, keyed_hash
from zongzhi.testing.factories import make_case

ID_NUMBER = "530402199001011238"
PHONE = "13812345678"


def rehash(**options) -> str:
    out = io.StringIO()
    call_command("rehash", stdout=out, **options)
    return out.getvalue()


def test_key_id_names_the_key_without_revealing_it(settings):
    settings.HASH_KEY = "key-a"
    assert hash_key_id() == key_id("key-a") and len(hash_key_id()) == 12
    assert key_id("key-a") != key_id("key-b")
    assert "key-a" not in hash_key_id()


def test_each_party_records_the_key_of_its_hashes(world, settings):
    settings.HASH_KEY = "key-a"
    make_case(world.east.village, world.east.clerk)
    assert set(Party.objects.values_list("hash_key_id", flat=True)) == {key_id("key-a")}


def test_rehash_moves_every_hash_to_the_new_key(world, settings):
    settings.HASH_KEY = "key-a"
    for _ in range(3):
        make_case(world.east.village, world.east.clerk)
    parties = Party.objects.count()
    old_digest = keyed_hash(ID_NUMBER)

    settings.HASH_KEY = "key-b"
    assert not Party.objects.filter(id_number_hash=keyed_hash(ID_NUMBER)).exists()
    output = rehash(batch_size=2)

    assert f"rehashed {parties} of {parties} parties" in output
    assert f"2/{parties} parties" in output  # progress after each batch
    assert set(Party.objects.values_list("hash_key_id", flat=True)) == {key_id("key-b")}
    assert Party.objects.filter(id_number_hash=keyed_hash(ID_NUMBER)).count() == 3
    assert Party.objects.filter(phone_hash=keyed_hash(PHONE)).count() == 3
    assert not Party.objects.filter(id_number_hash=old_digest).exists()
    assert "rehashed 0 of 0 parties" in rehash()  # idempotent: nothing left to do


def test_rehash_takes_rows_hashed_before_key_ids(world, settings):
    """Today's rows were hashed with the secret key and carry no key id."""
    settings.HASH_KEY = "old-secret-key"
    make_case(world.east.village, world.east.clerk)
    Party.objects.update(hash_key_id="")
    settings.HASH_KEY = "the-new-hash-key"
    rehash()
    assert Party.objects.filter(id_number_hash=keyed_hash(ID_NUMBER)).count() == 1
    assert set(Party.objects.values_list("hash_key_id", flat=True)) == {key_id("the-new-hash-key")}


def test_rehash_skips_and_reports_rows_it_cannot_decrypt(world, settings):
    settings.HASH_KEY = "key-a"
    case = make_case(world.east.village, world.east.clerk)
    broken = case.parties.first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_party SET phone = 'gAAAAnot-a-token' WHERE id = %s", [broken.pk]
        )
    settings.HASH_KEY = "key-b"
    with pytest.raises(Exception, match="could not be decrypted"):
        rehash()
    assert Party.objects.exclude(pk=broken.pk).filter(hash_key_id=key_id("key-b")).count() == (
        case.parties.count() - 1
    )
