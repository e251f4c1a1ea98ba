from django.core.management.base import BaseCommand, CommandError

from zongzhi.privacy.crypto import hash_key_id
from zongzhi.privacy.rehash import rehash_parties


class Command(BaseCommand):
    help = (
        "Re-compute the keyed hashes of ID numbers and phones under the current "
        "ZONGZHI_HASH_KEY, in batches; safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.stdout.write(f"hash key id {hash_key_id()}")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total} parties")

        result = rehash_parties(batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"rehashed {result.updated} of {result.remaining_before} parties; "
            f"{result.failed} could not be decrypted"
        )
        if result.failed:
            raise CommandError(
                f"{result.failed} parties could not be decrypted with ZONGZHI_DATA_KEYS; "
                "add the old data key and run rehash again"
            )
