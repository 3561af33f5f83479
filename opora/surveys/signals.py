"""What happens to questionnaires, told to whoever listens (notifications), on commit."""

from django.dispatch import Signal

#: The region reminds schools that have not answered: ``campaign``, ``user``, ``school_ids``.
reminder_requested = Signal()
