"""Errors a case service raises; each carries a machine code and a Chinese message."""


class CaseError(Exception):
    code = "case_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(CaseError):
    """The actor's role or area does not allow this."""

    code = "not_permitted"


class InvalidTransition(CaseError):
    """The case is not in a step from which the action can be taken."""

    code = "invalid_transition"


class InvalidInput(CaseError):
    """Something the action needs is missing or wrong."""

    code = "invalid_input"
