"""Who may do what with methodical visits and lesson observations (django-rules), imported by
``rules.py``.

* A visit is seen by everyone whose scope covers its school (the school itself included); it
  is planned, filled in and reported by the school's curator or the region (operator).
* An observation of a named teacher is personal data: the teacher, their school head, their
  curator, the regional operator — and whoever wrote it. Everybody else reads aggregates per
  rubric item with groups under five hidden (``visits_selectors``).
* Outside a visit, lessons are observed by the school's administration and by mentors: a
  teacher observes the lessons of the teachers they mentor this year (a mentor pair, within
  the school or across schools), nobody else's.
* A saved observation is corrected by whoever wrote it, the regional operator, and — for a
  lesson observed outside a visit — the school's head; the history keeps every version.
* The rubric is the region's: the regional authority or the operator edits it.
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import writes_region
from opora.accounts.scopes import scope_for


def _school(obj):
    if obj is None:
        return None
    return obj if obj.__class__.__name__ == "School" else obj.school


@rules.predicate
def in_scope(user, obj) -> bool:
    school = _school(obj)
    return school is not None and scope_for(user).covers_school(school)


@rules.predicate
def curates(user) -> bool:
    return user.role == Role.CURATOR and user.person_id is not None


@rules.predicate
def operates(user) -> bool:
    return user.is_superuser or user.role == Role.OPERATOR


@rules.predicate
def is_observed_teacher(user, observation) -> bool:
    return (
        observation is not None
        and user.role == Role.TEACHER
        and user.person_id is not None
        and observation.teacher_id == user.person_id
    )


@rules.predicate
def heads_school(user, obj) -> bool:
    school = _school(obj)
    return school is not None and user.role == Role.SCHOOL and user.school_id == school.pk


@rules.predicate
def curates_school(user, obj) -> bool:
    return curates(user) and in_scope(user, obj)


@rules.predicate
def wrote_it(user, observation) -> bool:
    return observation is not None and user.is_authenticated and observation.author_id == user.pk


def _mentees_this_year(user):
    from opora.core.calendar import current_year
    from opora.development.models import MentorPair

    return MentorPair.objects.filter(mentor_id=user.person_id, year=current_year())


@rules.predicate
def mentors_in_school(user, school) -> bool:
    """A teacher mentoring, this year, a teacher of ``school`` (theirs or another)."""
    return (
        school is not None
        and user.role == Role.TEACHER
        and user.person_id is not None
        and _mentees_this_year(user).filter(school=school).exists()
    )


@rules.predicate
def mentors_teacher(user, teacher) -> bool:
    """The teacher's mentor in a pair of this year."""
    return (
        teacher is not None
        and user.role == Role.TEACHER
        and user.person_id is not None
        and _mentees_this_year(user).filter(mentee=teacher).exists()
    )


@rules.predicate
def outside_visit(user, observation) -> bool:
    return observation is not None and observation.visit_id is None


@rules.predicate
def visit_is_planned(user, visit) -> bool:
    return visit is not None and visit.is_planned


@rules.predicate
def manages_visit(user, visit) -> bool:
    return visit is not None and in_scope(user, visit) and (writes_region(user) or curates(user))


@rules.predicate
def reads_school_aggregates(user, school) -> bool:
    return user.role != Role.TEACHER and in_scope(user, school)


rules.add_perm("development.view_methodicalvisit", in_scope)
rules.add_perm("development.plan_methodicalvisit", in_scope & (writes_region | curates))
rules.add_perm("development.change_methodicalvisit", manages_visit)
rules.add_perm("development.edit_methodicalvisit", manages_visit & visit_is_planned)
rules.add_perm(
    "development.view_lessonobservation",
    is_observed_teacher | heads_school | curates_school | operates | wrote_it,
)
rules.add_perm(
    "development.change_lessonobservation",
    wrote_it | operates | (heads_school & outside_visit),
)
rules.add_perm("development.observe_lesson", heads_school | mentors_in_school)
rules.add_perm("development.observe_teacher", heads_school | mentors_teacher)
rules.add_perm("development.view_observation_aggregates", reads_school_aggregates)
rules.add_perm("development.view_observations_named", heads_school | curates_school | operates)
rules.add_perm("development.change_rubricitem", writes_region)
