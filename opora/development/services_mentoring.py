"""Writes of mentoring: mentor–teacher pairs and the log of joint work of a mentor pair or of
a pair of schools (``people.SchoolPair``, seed 002 event 25). Each takes the acting user,
checks the rule first, stamps the author and runs in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require, stamp
from opora.accounts.scopes import can_write_region, scope_for
from opora.core.intake.documents import check_document_file
from opora.development.models import ActivityKind, MentoringActivity, MentorPair
from opora.people.models import Person, SchoolPair


def _save(instance, user):
    stamp(instance, user)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def create_mentor_pair(
    user, *, mentor: Person, mentee: Person, year: int, focus: str = ""
) -> MentorPair:
    """Pair a mentor with a teacher for a year: «Иванова М. П. → Учителева М.» — a school pairs
    its own teachers, a municipality teachers of its schools, the region anyone."""
    require(user, "development.add_mentorpair")
    if mentor.school_id is None or mentee.school_id is None:
        raise ValidationError("У наставника и педагога должна быть указана школа.")
    if mentor.pk == mentee.pk:
        raise ValidationError("Наставник и педагог — один и тот же человек.")
    pair = MentorPair(
        year=year,
        mentor=mentor,
        mentor_school_id=mentor.school_id,
        mentee=mentee,
        school_id=mentee.school_id,
        focus=focus.strip(),
    )
    require(user, "development.change_mentorpair", pair)
    if not can_write_region(user) and not scope_for(user).covers_school(mentor.school):
        raise PermissionDenied("Наставник — из школы вне вашей зоны ответственности.")
    if MentorPair.objects.filter(mentor=mentor, mentee=mentee, year=year).exists():
        raise ValidationError(f"Пара «{pair}» на {year} год уже есть.")
    return _save(pair, user)


@transaction.atomic
def delete_mentor_pair(user, pair: MentorPair) -> None:
    require(user, "development.change_mentorpair", pair)
    if pair.activities.exists():
        raise ValidationError("В журнале пары есть записи — пара не удаляется.")
    stamp(pair, user)
    pair.delete()


def _pair_perm(activity: MentoringActivity) -> tuple[str, object]:
    if activity.mentor_pair_id:
        return "development.log_mentorpair", activity.mentor_pair
    return "development.log_schoolpair", activity.school_pair


@transaction.atomic
def log_activity(
    user,
    *,
    mentor_pair: MentorPair | None = None,
    school_pair: SchoolPair | None = None,
    held_on: date,
    kind: str,
    topic: str,
    outcome: str = "",
    upload=None,
) -> MentoringActivity:
    """Write a joint activity into the pair's log: «12.03.2026, посещение урока, «Смысловое
    чтение на уроке истории», разобрали приёмы …» with a file if there is one."""
    if (mentor_pair is None) == (school_pair is None):
        raise ValidationError("Запись журнала относится к одной паре.")
    activity = MentoringActivity(
        mentor_pair=mentor_pair,
        school_pair=school_pair,
        held_on=held_on,
        kind=kind,
        topic=topic.strip(),
        outcome=outcome.strip(),
    )
    require(user, *_pair_perm(activity))
    if kind not in ActivityKind.values:
        raise ValidationError("Неизвестный вид совместной работы.")
    if not activity.topic:
        raise ValidationError("Укажите тему.")
    if held_on > timezone.localdate():
        raise ValidationError("В журнал записывают то, что уже состоялось: дата ещё не наступила.")
    if upload is not None:
        upload, _type = check_document_file(upload, "Файл")
        activity.file.save(upload.name, upload, save=False)
        activity.file_name = upload.name[:300]
    return _save(activity, user)


@transaction.atomic
def delete_activity(user, activity: MentoringActivity) -> None:
    require(user, *_pair_perm(activity))
    stamp(activity, user)
    activity.delete()
