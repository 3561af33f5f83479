from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from opora.accounts.models import User


@admin.register(User)
class OporaUserAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "municipality", "school"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            "Роль и область доступа",
            {"fields": ["role", "patronymic", "municipality", "school", "person"]},
        ),
    ]
