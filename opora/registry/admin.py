from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.registry import models


@admin.register(models.School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_name", "municipality", "kind", "is_active"]
    list_filter = ["kind", "municipality"]
    search_fields = ["code", "short_name", "full_name"]


for model in (
    models.Region,
    models.Municipality,
    models.Organisation,
    models.SchoolPassport,
    models.SchoolStatus,
):
    admin.site.register(model, SimpleHistoryAdmin)
