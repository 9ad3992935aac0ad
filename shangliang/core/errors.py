"""Errors raised by services. Views turn them into messages next to the form, never a 500."""


class DomainError(Exception):
    """A rule of the domain refuses the request; the message is shown to the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionNotAllowed(DomainError):
    """The record's current status does not allow the requested move."""


class ImportRejected(DomainError):
    """An import file has errors; nothing was written."""

    def __init__(self, message, *, errors):
        super().__init__(message)
        self.errors = errors


class EditConflict(DomainError):
    """Someone else changed the record since the form was opened; nothing was overwritten."""
