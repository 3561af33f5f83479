"""Demo data of the expertise part (idempotent)."""


def load(year: int) -> None:
    """Nothing yet for this part."""
