"""How long free text may be, in characters: one set of limits for every model and form.

A resident's submission of 1,200,000 characters was once accepted; every text column now has one
of these as its ``max_length``, and every form field without its own limit gets ``DOCUMENT``.
"""

NOTE = 2000  # a reason, a note, a reply of a few paragraphs
TEXT = 5000  # what a resident or a speaker writes: a problem, a statement, a finding
DOCUMENT = 50000  # a whole document: minutes, a report, a published result

# How much of a longer text a message quotes: a suggestion named in a message, and the detail
# (progress, result, reason) a feedback message carries.
EXCERPT_SHORT = 40
EXCERPT = 120


def excerpt(text: str, length: int = EXCERPT) -> str:
    """The start of ``text`` for a message, cut at ``length`` characters."""
    return (text or "").strip()[:length]
