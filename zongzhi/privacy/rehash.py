"""Re-computing the stored keyed hashes under the current hash key (`zongzhi rehash`).

Every row that stores a keyed hash also stores the id of the key that made it. After
ZONGZHI_HASH_KEY changes (or for rows hashed before key ids existed, whose id is empty),
the hashes are re-computed from the decrypted values, a batch per transaction. Rows already
under the current key are skipped, so the command is safe to stop and run again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from zongzhi.privacy.crypto import hash_key_id


@dataclass
class RehashResult:
    updated: int = 0
    failed: int = 0
    remaining_before: int = 0


def stale_parties():
    """Parties whose hashes were not made with the current hash key."""
    from zongzhi.cases.models import Party

    return Party.objects.exclude(hash_key_id=hash_key_id())


def rehash_parties(
    *, batch_size: int = 500, progress: Callable[[int, int], None] | None = None
) -> RehashResult:
    """Re-compute the ID-number and phone hashes of every stale party.

    Walks the stale rows by primary key, each batch locked and written in one transaction;
    `progress(done, total)` is called after each batch. A row that cannot be decrypted with
    the configured data keys is left as it is and counted in `failed`.
    """
    from zongzhi.cases.models import Party

    current = hash_key_id()
    result = RehashResult(remaining_before=stale_parties().count())
    last_pk = 0
    while True:
        with transaction.atomic():
            ids = list(
                stale_parties()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_pk = ids[-1]
            locked = Party.objects.select_for_update().order_by("pk")
            try:
                parties = list(locked.filter(pk__in=ids))
            except ValueError:  # a row the configured keys cannot decrypt: go one by one
                parties = []
                for pk in ids:
                    try:
                        parties.append(locked.get(pk=pk))
                    except ValueError:
                        result.failed += 1
            changed = []
            for party in parties:
                if party.hash_key_id == current:  # another run got there first
                    continue
                party.compute_hashes()
                changed.append(party)
            Party.objects.bulk_update(
                changed, ["id_number_hash", "phone_hash", "hash_key_id"], batch_size=batch_size
            )
            result.updated += len(changed)
        if progress is not None:
            progress(result.updated + result.failed, result.remaining_before)
    return result
