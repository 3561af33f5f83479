"""Each app's foreign objects for the scope walk, added to the test world in this order.

Every object of the foreign scope has primary key 9001 (9002… where more are needed) and
«Чуж…» in its text; ``opora/accounts/tests/test_scope_walk.py`` requests every URL with those
keys as users of every scope and looks for the marker. A new app with models adds its module
here (``create(world)``) and one line to ``BUILDERS``: an explicit import, so a typo fails at
once, and production code never imports test code to contribute it.
"""

from opora.testing.foreign import (
    assessment,
    coaching,
    development,
    expertise,
    information,
    interviews,
    monitoring,
    notifications,
    risks,
    surveys,
)

BUILDERS = (
    interviews.create,
    expertise.create,
    monitoring.create,
    assessment.create,
    development.create,
    development.create_mentoring,
    development.create_visits,
    surveys.create,
    risks.create,
    coaching.create,
    information.create,
    notifications.create,
)
