def load(demo) -> None:
    return None
