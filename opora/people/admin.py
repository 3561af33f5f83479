from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.people import models

for model in (
    models.Person,
    models.WorkingGroup,
    models.WorkingGroupMember,
    models.Coordinator,
    models.CuratorAssignment,
    models.SchoolPair,
):
    admin.site.register(model, SimpleHistoryAdmin)
