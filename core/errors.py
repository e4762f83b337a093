"""The errors every service raises: a broken rule (ServiceError) and a save that came too late (ConflictError)."""


class ServiceError(Exception):
    """A rule was broken; the message is Dutch and meant for the user."""


class ConflictError(ServiceError):
    """Someone else saved the same item since the form was loaded (optimistic concurrency)."""
