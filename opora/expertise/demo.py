"""Demo data of the expertise (idempotent).

The region's starting criteria sets for the year, and an expertise of the demo Kargasok roadmap
(seed 002) by two experts: «expert2» has scored everything and submitted, «expert» has scored
about two thirds and not submitted yet — so that signing in as «expert» shows work to finish
(«Мои экспертизы» → оценка), and the region sees one submitted column and one draft.

The scores are what an expert would give reading the pre-check: a topic covered by events gets
2 (1 when the match is weak), an uncovered topic 0; the second expert differs now and then.
"""

from __future__ import annotations

import random

from opora.accounts.models import Role, User
from opora.expertise import services as svc
from opora.expertise.defaults import ensure_default_sets
from opora.expertise.models import CriteriaPurpose, Criterion, Expertise
from opora.expertise.precheck import precheck_roadmap
from opora.registry.demo import DEMO_PASSWORD
from opora.roadmaps.models import Roadmap

SECOND_EXPERT = "expert2"
#: Share of criteria the first expert has scored in the demo.
FIRST_EXPERT_DONE = 0.65


def load(year: int) -> None:
    sets = ensure_default_sets(year)
    roadmap = (
        Roadmap.objects.filter(level="municipality", municipality__name="Каргасокский район")
        .order_by("period_start", "pk")
        .first()
    )
    if roadmap is None or Expertise.objects.filter(roadmap=roadmap).exists():
        return
    operator = (
        User.objects.filter(role=Role.OPERATOR, is_active=True).order_by("pk").first()
        or User.objects.filter(role=Role.REGION, is_active=True).order_by("pk").first()
    )
    first = User.objects.filter(username="expert", role=Role.EXPERT).first()
    if operator is None or first is None:
        return
    second = _second_expert()
    municipal_set = next(s for s in sets if s.purpose == CriteriaPurpose.MUNICIPAL_EXPERTISE)
    expertise = svc.create_expertise(operator, roadmap, municipal_set, expert_users=[first, second])
    opinion = _opinion(roadmap, municipal_set)
    criteria = list(
        Criterion.objects.filter(group__criteria_set=municipal_set).order_by(
            "group__order", "order"
        )
    )
    rng = random.Random(roadmap.pk)
    for criterion in criteria:
        value, comment = opinion[criterion.pk]
        other, note = value, comment
        if rng.random() < 0.25:  # the second expert reads some things differently
            other = max(0, min(criterion.scale_max, value + rng.choice([-1, 1])))
            if other < value:
                note = f"{comment} Раскрыто не полностью.".strip()
            elif other > value:
                note = f"{comment} Частично учтено в других мероприятиях.".strip()
        svc.save_score(second, expertise, criterion, value=other, comment=note)
    svc.submit_assignment(second, expertise)
    for criterion in criteria[: round(len(criteria) * FIRST_EXPERT_DONE)]:
        value, comment = opinion[criterion.pk]
        svc.save_score(first, expertise, criterion, value=value, comment=comment)


def _second_expert() -> User:
    user = User.objects.filter(username=SECOND_EXPERT).first()
    if user is None:
        user = User(
            username=SECOND_EXPERT,
            role=Role.EXPERT,
            first_name="Ольга",
            patronymic="Петровна",
            last_name="Смирнова (демо)",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _opinion(roadmap: Roadmap, criteria_set) -> dict[int, tuple[int, str]]:
    """Criterion → (score, comment) read off the pre-check of the roadmap."""
    found = precheck_roadmap(roadmap, criteria_set)
    by_criterion = {c["criterion"]: c for c in found["coverage"] if c["kind"] == "topic"}
    sections = {s["criterion"]: s for s in found["sections"]}
    result = {}
    for criterion in Criterion.objects.filter(group__criteria_set=criteria_set):
        top = criterion.scale_max
        coverage = by_criterion.get(criterion.pk)
        text = criterion.text.lower()
        if criterion.pk in sections and not sections[criterion.pk]["found"]:
            events = coverage["events"] if coverage else []
            value = 1 if events else 0
            comment = "Отдельного раздела нет" + (
                f"; отдельные мероприятия: № {', '.join(e['number'] for e in events[:3])}."
                if events
                else "."
            )
        elif coverage is not None:
            events = coverage["events"]
            if not events:
                value, comment = 0, "В карте нет мероприятий на эту тему."
            else:
                strong = events[0]["score"] >= 0.6
                value = top if strong else max(1, top // 2)
                numbers = ", ".join(e["number"] or "б/н" for e in events[:3])
                comment = f"Мероприятия № {numbers}." + (
                    "" if strong else " Тема раскрыта частично."
                )
        elif "сроки" in text:
            value = top if not found["deadlines"] else max(0, top - 1)
            comment = (
                "Сроки указаны у всех мероприятий." if value == top else "Есть нечёткие сроки."
            )
        elif "исполнител" in text:
            value = top if not found["executors"] else max(0, top - 1)
            comment = "Ответственные указаны." if value == top else "Не у всех мероприятий."
        elif "показатели реализации" in text:
            value = top if roadmap.has_indicator_column else 0
            comment = "" if value else "В форме карты нет показателей реализации и результатов."
        elif "муниципальные показатели" in text:
            value = max(1, top // 2) if roadmap.indicators.exists() else 0
            comment = "Показатели названы, целевые значения не указаны." if value else ""
        else:
            value, comment = top, ""
        result[criterion.pk] = (value, comment)
    return result
