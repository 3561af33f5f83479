"""The ``opora`` console entry point: Django's management commands with Opora's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opora", *sys.argv[1:]])


if __name__ == "__main__":
    main()
