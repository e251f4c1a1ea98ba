"""Where an attachment's bytes live, and how they follow the transaction of their row.

A file is written first under a staging name (`.staging/<name>` in the media storage) and
moved to its final name only when the transaction that stores its row commits. When the
submission fails, `discard_staged_on_error` (around a service or a submission) deletes the
files it staged; what a killed process leaves behind is settled by `settle_staged` (a
periodic job): a staged file whose row exists is moved into place, any other is deleted.
So no photo of a person stays on disk without its case, and no case points at no file.

Nothing serves the media storage: files leave only through the case page's download view,
which checks the case's area (see workbench.case_views.attachment_download).
"""

import contextvars
import logging
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

log = logging.getLogger(__name__)

STAGING = ".staging"
# A staged file older than this without a committed row belongs to a failed submission.
STALE_SECONDS = 15 * 60
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}

_staged: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "zongzhi_staged_files", default=None
)


def final_name(case, content_type: str) -> str:
    """A fresh name for a file of `case`: random (never the uploader's file name), typed by
    the sniffed content type, under the case's county and id."""
    extension = EXTENSIONS.get(content_type, ".bin")
    return f"cases/{case.county.code}/{case.pk}/{uuid.uuid4().hex}{extension}"


def staging_name(name: str) -> str:
    return f"{STAGING}/{name}"


def stage(upload: UploadedFile, name: str) -> str:
    """Write `upload` under the staging name of `name`; it moves to `name` when the current
    transaction commits. Returns `name`."""
    upload.seek(0)
    stored = default_storage.save(staging_name(name), upload)
    if stored != staging_name(name):  # cannot happen with random names; never guess
        default_storage.delete(stored)
        raise RuntimeError(f"staging name taken: {name}")
    pending = _staged.get()
    if pending is not None:
        pending.append(name)
    transaction.on_commit(lambda: promote(name), robust=True)
    return name


def promote(name: str) -> bool:
    """Move a staged file to its final name; True when the final file is in place."""
    source = staging_name(name)
    if not default_storage.exists(source):
        return default_storage.exists(name)
    try:
        target = Path(default_storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(default_storage.path(source), target)
    except NotImplementedError:  # a storage without local paths
        with default_storage.open(source, "rb") as staged:
            default_storage.save(name, staged)
        default_storage.delete(source)
    return True


def discard(name: str) -> None:
    """Delete a staged file (its row was never committed)."""
    try:
        default_storage.delete(staging_name(name))
    except OSError:
        log.exception("could not delete staged file %s", name)


@contextmanager
def discard_staged_on_error() -> Iterator[None]:
    """Delete the files staged inside the block when it raises: wrap a submission around
    (outside) its transaction, so a rollback for any reason takes its files along."""
    token = _staged.set([])
    try:
        yield
    except BaseException:
        for name in _staged.get() or []:
            discard(name)
        raise
    finally:
        staged = _staged.get() or []
        _staged.reset(token)
        outer = _staged.get()
        if outer is not None:
            outer.extend(staged)  # the enclosing submission may still fail


def discarding_staged_on_error(function):
    """Decorator form of discard_staged_on_error; put it above @transaction.atomic."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with discard_staged_on_error():
            return function(*args, **kwargs)

    return wrapper


def settle_staged(*, older_than: int = STALE_SECONDS, now: float | None = None) -> dict:
    """Finish what a killed process left in the staging area: a staged file whose row was
    committed moves into place, one without a row is deleted. Files younger than
    `older_than` seconds may belong to a submission still running and are left alone."""
    from zongzhi.cases.models import CaseAttachment

    now = time.time() if now is None else now
    root = Path(settings.MEDIA_ROOT) / STAGING
    settled = {"promoted": 0, "deleted": 0}
    if not root.is_dir():
        return settled
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if now - path.stat().st_mtime < older_than:
            continue
        name = path.relative_to(root).as_posix()
        if CaseAttachment.objects.filter(file=name).exists():
            promote(name)
            settled["promoted"] += 1
        else:
            path.unlink(missing_ok=True)
            settled["deleted"] += 1
    return settled


def open_attachment(attachment):
    """The attachment's file for reading; a committed row whose file was not yet moved into
    place (the moment after commit, or a killed process) is moved first."""
    name = attachment.file.name
    if not default_storage.exists(name):
        promote(name)
    return default_storage.open(name, "rb")
