"""Demo data of the interviews part (idempotent)."""


def load(year: int) -> None:
    """Nothing yet for this part."""
