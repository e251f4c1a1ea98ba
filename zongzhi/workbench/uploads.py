"""Checks on uploaded attachments: size and real file type (never the browser's word for it).

Used by the case page's upload form and the window registration form.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_FORM = 10
ALLOWED_TYPES = {"image/jpeg": "JPG 图片", "image/png": "PNG 图片", "application/pdf": "PDF 文件"}
PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
ACCEPT_ATTRIBUTE = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The file's type judged from its content: a PDF header, or an image Pillow can verify."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = PILLOW_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    upload.seek(0)
    return kind


def validate_upload(upload: UploadedFile) -> UploadedFile:
    """Raise a ValidationError (in Chinese) unless the file is a JPG, PNG or PDF of ≤ 10 MB.

    On success the upload's `content_type` is set to the sniffed type, which the service stores.
    """
    name = upload.name or "附件"
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空文件", code="empty")
    if upload.size > MAX_ATTACHMENT_BYTES:
        size_mb = upload.size / 1024 / 1024
        raise ValidationError(
            f"文件“{name}”大小为 {size_mb:.1f} MB，超过 10 MB 的上限", code="too_large"
        )
    kind = sniff_content_type(upload)
    if kind is None:
        raise ValidationError(
            f"文件“{name}”不是有效的 JPG、PNG 图片或 PDF 文件，只能上传这三种格式",
            code="type",
        )
    upload.content_type = kind
    return upload
