"""The one error type ctm shows to people: a message that names the file, line and field."""


class CtmError(Exception):
    """Bad input (case, rule or knowledge file). The CLI prints it and exits with status 2."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return _printable(where + self.message)


def _printable(text: str) -> str:
    """One printable line: a key like "a\\nb" or a lone surrogate in a file is shown escaped."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


class RuleConflict(CtmError):
    """Two rules derived different values for one classification key: a defect in the rule set
    (`ctm audit` reports it as a conflict; any other command ends with this one message)."""
