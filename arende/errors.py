"""Typed exceptions for user mistakes.

The CLI turns any ArendeError into one line on stderr and exit code 2; library callers
catch the type. Raising one of these must leave the database unchanged, which holds
because every service runs in a single transaction that rolls back on error.
"""


class ArendeError(Exception):
    """A problem the user can fix; never a bug."""

    def __init__(self, field: str, problem: str, sv: str | None = None):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        # The same problem in Swedish, for the forms (flows/forms.py); the command line
        # says `problem`. Given where a form can meet the mistake.
        self.problem_sv = sv


class InvalidInput(ArendeError):
    """A value is malformed or out of range."""


class NotFound(ArendeError):
    """A referenced organ, errand, meeting... does not exist."""


class Conflict(ArendeError):
    """The value clashes with what is already recorded (a § taken, an illegal step)."""


class DatabaseUnavailable(ArendeError):
    """The database does not answer, was never initialised, or has a schema this
    version does not know."""
