from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "opora.documents"
    label = "documents"
    verbose_name = "Документы"

    def ready(self):
        from opora.core import contributions as c

        c.add(
            c.MenuEntry(
                group="registry", order=70, label="Реестр документов", url_name="documents:register"
            )
        )
