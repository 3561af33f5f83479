"""What happens to roadmaps and reports, told to whoever listens (notifications), on commit.

Each signal is sent by a service with ``transaction.on_commit``: a write that is rolled back
tells nobody. The sender is the model class; the arguments name the objects and the actor.
"""

from django.db import transaction
from django.dispatch import Signal

#: A report was filed on an event: ``report``, ``user`` (who filed it).
report_filed = Signal()
#: A report was accepted or returned: ``report``, ``user`` (the reviewer), ``accepted``.
report_reviewed = Signal()
#: A roadmap changed status: ``roadmap``, ``user``, ``from_status``, ``to_status``, ``comment``.
roadmap_moved = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))


#: A reminder to the addressees of ``event`` who have not reported (or were returned):
#: ``event``, ``user``, ``school_ids``, ``municipality_ids``.
reminder_requested = Signal()
