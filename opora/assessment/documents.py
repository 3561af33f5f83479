"""The order approving the year's lists of schools, as a draft for the documents layer: the
methodology the lists were computed by is its basis, the ШНОР list appendix 1 and the ШНСУ
list appendix 2 («Приложение 1 к распоряжению Департамента … от … № …»). Pure: it reads,
the service saves.

Example: «Об утверждении списков школ с низкими образовательными результатами обучающихся и
школ, функционирующих в неблагоприятных социальных условиях, на 2024 год» / «В соответствии с
методикой определения ШНОР «Региональная методика» (версия 2) …» / «1. Утвердить: 1) список
школ с низкими образовательными результатами обучающихся (ШНОР) на 2024 год (12 школ) …».
"""

from __future__ import annotations

from opora.assessment.models import IdentificationRun
from opora.core.russian.plurals import count
from opora.documents.drafts import Draft, appendix_mark, executor_mark
from opora.documents.models import DocumentKind
from opora.documents.text import heading, table_row
from opora.registry.models import School
from opora.registry.requisites import regional_authority

LOW = "школ с низкими образовательными результатами обучающихся (ШНОР)"
UNFAVOURABLE = "школ, функционирующих в неблагоприятных социальных условиях (ШНСУ)"


def _schools(codes: list[str]) -> list[School]:
    """The schools of a list in the order of the appendix: municipality, then name; a code
    missing from the registry is still listed (by its code) so that nothing drops silently."""
    found = {
        s.code: s for s in School.objects.filter(code__in=codes).select_related("municipality")
    }
    missing = [School(code=c, full_name=f"ОО с кодом {c} (нет в реестре)") for c in codes]
    schools = [found.get(c) or missing[i] for i, c in enumerate(codes)]
    return sorted(
        schools,
        key=lambda s: (s.municipality.name if s.municipality_id else "", s.full_name),
    )


def _list_table(schools: list[School]) -> list[str]:
    if not schools:
        return ["Школ в списке нет."]
    rows = [table_row("№ п/п", "Муниципальное образование", "Образовательная организация")]
    for index, school in enumerate(schools, start=1):
        municipality = school.municipality.name if school.municipality_id else "—"
        rows.append(table_row(str(index), municipality, school.full_name))
    return rows


def _schools_count(n: int) -> str:
    return count(n, "школа", "школы", "школ")


def lists_order(run: IdentificationRun, user=None) -> Draft:
    """The order approving the lists of ``run``'s year (see the module's docstring)."""
    issuer, kind = regional_authority(), DocumentKind.ORDER
    low = _schools(list(run.low_results))
    unfavourable = _schools(list(run.unfavourable))
    methodology = run.methodology
    lines = [
        f"В соответствии с методикой определения школ с низкими образовательными результатами "
        f"обучающихся «{methodology.name}» (версия {methodology.version}) по итогам "
        f"оценочных процедур, в целях организации адресной поддержки школ в {run.year} году",
        "1. Утвердить:",
        f"1) список {LOW} на {run.year} год ({_schools_count(len(low))}) согласно "
        "приложению 1 к настоящему распоряжению;",
        f"2) список {UNFAVOURABLE} на {run.year} год ({_schools_count(len(unfavourable))}) "
        "согласно приложению 2 к настоящему распоряжению.",
        "2. Региональному оператору обеспечить адресную методическую поддержку школ, "
        "включённых в списки.",
        "3. Контроль за исполнением настоящего распоряжения оставляю за собой.",
        "",
        appendix_mark(kind, issuer.full_name, 1),
        heading(f"Список {LOW} на {run.year} год"),
        *_list_table(low),
        "",
        appendix_mark(kind, issuer.full_name, 2),
        heading(f"Список {UNFAVOURABLE} на {run.year} год"),
        *_list_table(unfavourable),
    ]
    return Draft(
        kind=kind,
        organisation=issuer.organisation,
        place=issuer.place,
        title=f"Об утверждении списков школ с низкими образовательными результатами "
        f"обучающихся и школ, функционирующих в неблагоприятных социальных условиях, "
        f"на {run.year} год",
        body="\n".join(lines),
        signer=issuer.signer,
        executor=executor_mark(user, issuer.phone),
    )
