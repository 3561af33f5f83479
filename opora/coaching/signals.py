"""What happens in coaching, told to whoever listens (notifications), on commit."""

from django.dispatch import Signal

#: A message in a school's thread: ``comment``, ``user`` (its author).
comment_posted = Signal()
#: A visit was reported: ``visit``, ``user``, ``recommendations`` (given to the school).
visit_reported = Signal()
