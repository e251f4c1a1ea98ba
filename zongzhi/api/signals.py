"""A staff account's API tokens die with its password or its activity.

Connected in ApiConfig.ready. A save after `set_password()` (the admin's password forms,
`zongzhi changepassword`, any code) still carries the new raw password in `_password`,
which Django itself uses to tell that the password changed; Django's own re-hashing of
an unchanged password at login clears it first, so it revokes nothing."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from zongzhi.accounts.models import User
from zongzhi.api.models import revoke_tokens_of


@receiver(post_save, sender=User, dispatch_uid="zongzhi-revoke-api-tokens")
def revoke_tokens_on_password_change_or_deactivation(sender, instance: User, created, **kwargs):
    if created:
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        revoke_tokens_of(instance)
