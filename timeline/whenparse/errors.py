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
    still read as a range "A to B".

    Most are caught and never shown (every range raises one for the whole
    phrase, and one per split it tries), so the detail, why no rule reads the
    words (refusals.why_not, a dozen regular expressions), is worked out
    only when it is asked for."""

    def __init__(self, words: str):
        Exception.__init__(self, words)
        self.words = words

    @property
    def detail(self) -> str:
        # Imported here: refusals needs the vocabulary and spans modules, and
        # both import this one.
        from .refusals import why_not

        return why_not(self.words)

    def __str__(self) -> str:
        return self.detail
