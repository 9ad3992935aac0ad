"""How points and scores print: "61", "61.5", "61.25", never "61.0" (issue 13, point 14)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Scores are kept to two places at most (``scoring`` rounds its assessment points so).
PLACES = Decimal("0.01")


def points_text(value) -> str:
    """A number of points without trailing zeros: 61.0 → "61", 61.50 → "61.5"; None → ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
