"""What happens to individual routes, told on commit to whoever listens (notifications).

The sender is the model class; ``route`` and ``user`` (the actor) are always given.
"""

from django.dispatch import Signal

#: A route was sent to the school head for approval: ``route``, ``user``.
route_submitted = Signal()
#: A route was approved by the school head: ``route``, ``user``.
route_approved = Signal()
#: A route was sent back to its draft with a comment: ``route``, ``user``, ``comment``.
route_returned = Signal()
