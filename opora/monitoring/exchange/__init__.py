"""The campaign's answers in Excel: the file given out (:mod:`.export`) and read back as the
preview of an import (:mod:`.plan`).

Example: a column «2. Проводятся дополнительные занятия …» with «да» / «частично» / «нет»
in each school's row becomes the answers «выполнено» / «частично» / «не выполнено».
"""

from opora.monitoring.exchange.export import (
    ANSWER_WORDS,
    CODE_HEADER,
    COMMENT_WORD,
    SCHOOL_HEADER,
    export_answers_xlsx,
)
from opora.monitoring.exchange.plan import AnswerChange, ImportPlan, plan_answers_import

__all__ = [
    "ANSWER_WORDS",
    "CODE_HEADER",
    "COMMENT_WORD",
    "SCHOOL_HEADER",
    "AnswerChange",
    "ImportPlan",
    "export_answers_xlsx",
    "plan_answers_import",
]
