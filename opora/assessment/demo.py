"""Demo results and lists (idempotent)."""


def load(year: int) -> None:
    """Nothing yet for this part."""
