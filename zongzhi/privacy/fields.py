from django.db import models

from zongzhi.privacy.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """A text value stored encrypted; Python code sees the clear text.

    It cannot be searched or ordered in the database; pair it with a keyed hash field where a
    lookup by value is needed.
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
