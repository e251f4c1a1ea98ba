from django import template

from zongzhi.privacy.masking import mask_free_text

register = template.Library()


@register.filter
def masked_text(text: str) -> str:
    """Free text with phone and ID numbers masked (privacy.masking.mask_free_text)."""
    return mask_free_text(text)
