"""The parser's own errors, raised deep in the grammar. parse_when and
when_from_edtf turn them into a WhenParseError that names the whole phrase
the caller gave, so no module below them needs to know that phrase."""


class Unreadable(Exception):
    """The words cannot be read into a window; detail says why."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NoRule(Unreadable):
    """No rule of the grammar reads the words (as opposed to a rule that
    reads them and finds the date impossible, e.g. Feb. 30): the phrase may
    still read as a range "A to B"."""
