"""Background tasks (django.tasks; the worker is started by `make run`)."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def import_batch(batch_id: int) -> int | None:
    from opora.assessment.services import run_import

    batch = run_import(batch_id)
    return batch.pk if batch is not None else None


def recover_on_task_start(sender, task_result, **kwargs) -> None:
    """Before a worker runs a task: end the imports a killed worker left running."""
    from opora.assessment.services import recover_imports

    try:
        for batch in recover_imports():
            logger.warning("Пакет результатов № %s: загрузка была прервана", batch.pk)
    except Exception:
        # Recovery must not stop the task it precedes; the next task start tries again.
        logger.exception("Проверка прерванных загрузок не удалась")
