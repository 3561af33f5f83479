"""Demo data of the monitoring part (idempotent)."""


def load(year: int) -> None:
    """Nothing yet for this part."""
