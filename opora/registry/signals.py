"""What happens to the registry, told to whoever listens (notifications), on commit."""

from django.db import transaction
from django.dispatch import Signal

#: The region's list of ``kind`` for ``year`` was approved: ``year``, ``kind`` (StatusKind),
#: ``school_ids`` (the list), ``basis`` (kind, number, date of the document), ``user``.
regional_list_replaced = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
