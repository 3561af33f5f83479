"""Who may do what in professional development (django-rules).

Diagnostics and routes are personal data: a teacher's own, their school head's (the school's
user), their curator's (whose scope covers the school) and the regional operator's. Everyone
else — the region, municipalities, experts, observers — reads aggregates only
(:mod:`opora.development.selectors`, groups under five hidden).
"""

import rules

from opora.accounts.models import Role
from opora.accounts.rules import writes_region
from opora.accounts.scopes import scope_for
from opora.development.models import RouteStatus


@rules.predicate
def is_operator(user):
    return user.is_superuser or user.role == Role.OPERATOR


@rules.predicate
def is_teacher(user):
    return user.role == Role.TEACHER and bool(user.person_id)


def _school_id(obj):
    return getattr(obj, "school_id", None)


@rules.predicate
def is_the_teacher(user, obj):
    """``obj`` is the user's own person, or a route / result / registration of it."""
    if obj is None or user.role != Role.TEACHER or not user.person_id:
        return False
    person_id = obj.pk if obj.__class__.__name__ == "Person" else getattr(obj, "person_id", None)
    return person_id == user.person_id


@rules.predicate
def is_head_of(user, obj):
    """The school's own user: ``obj`` (a school, a person, a route …) belongs to that school."""
    if obj is None or user.role != Role.SCHOOL or not user.school_id:
        return False
    school_id = obj.pk if obj.__class__.__name__ == "School" else _school_id(obj)
    return school_id == user.school_id


@rules.predicate
def is_curator_of(user, obj):
    if obj is None or user.role != Role.CURATOR:
        return False
    school = obj if obj.__class__.__name__ == "School" else getattr(obj, "school", None)
    return school is not None and scope_for(user).covers_school(school)


@rules.predicate
def route_is_open(user, route):
    return route is not None and route.status != RouteStatus.APPROVED


@rules.predicate
def route_is_draft(user, route):
    return route is not None and route.status == RouteStatus.DRAFT


@rules.predicate
def route_is_approved(user, route):
    return route is not None and route.status == RouteStatus.APPROVED


@rules.predicate
def manages_event(user, event):
    if event is None:
        return False
    if writes_region(user):
        return True
    return (
        user.role == Role.MUNICIPAL
        and bool(user.municipality_id)
        and event.municipality_id == user.municipality_id
    )


@rules.predicate
def creates_events(user):
    return writes_region(user) or (user.role == Role.MUNICIPAL and bool(user.municipality_id))


@rules.predicate
def sees_event(user, event):
    if event is None or not user.is_authenticated:
        return False
    if event.municipality_id is None:
        return True
    if user.role == Role.TEACHER:
        school = user.school
        return school is not None and school.municipality_id == event.municipality_id
    scope = scope_for(user)
    if scope.everything or scope.covers_municipality(event.municipality_id):
        return True
    return event.municipality_id in scope.visible_municipality_ids()


@rules.predicate
def registers_people(user):
    """Teachers register themselves, a school registers its teachers."""
    return is_teacher(user) or (user.role == Role.SCHOOL and bool(user.school_id))


@rules.predicate
def reads_aggregates(user):
    return user.is_authenticated and user.role != Role.TEACHER


named = is_the_teacher | is_head_of | is_curator_of | is_operator

rules.add_perm("development.view_person_data", named)
rules.add_perm("development.view_school_team", is_head_of | is_curator_of | is_operator)
rules.add_perm("development.view_aggregates", reads_aggregates)
rules.add_perm("development.import_diagnostics", is_operator)
rules.add_perm("development.change_competencearea", writes_region)
rules.add_perm("development.change_offer", writes_region)
rules.add_perm("development.propose_routes", is_head_of | is_operator)
rules.add_perm("development.view_route", named)
rules.add_perm("development.change_route", (is_head_of | is_operator) & route_is_open)
rules.add_perm("development.submit_route", is_the_teacher & route_is_draft)
rules.add_perm("development.approve_route", is_head_of & route_is_open)
rules.add_perm(
    "development.track_route", (is_the_teacher | is_head_of | is_operator) & route_is_approved
)
rules.add_perm("development.view_supportevent", sees_event)
rules.add_perm("development.add_supportevent", creates_events)
rules.add_perm("development.change_supportevent", manages_event)
rules.add_perm("development.register_supportevent", sees_event & registers_people)


# ================================================================ mentoring and contests
# A mentor pair and its log name two teachers: they are seen by the two, their schools, the
# curator and municipality of those schools, and the region; experts and observers read counts.


def _schools_of(pair) -> list:
    return [s for s in (getattr(pair, "school", None), getattr(pair, "mentor_school", None)) if s]


@rules.predicate
def is_in_pair(user, pair):
    if pair is None or user.role != Role.TEACHER or not user.person_id:
        return False
    return user.person_id in (pair.mentor_id, pair.mentee_id)


@rules.predicate
def organises_pair(user, pair):
    """The region, or the school or municipality of the mentored teacher: who forms pairs."""
    if pair is None:
        return False
    if writes_region(user):
        return True
    if user.role == Role.SCHOOL:
        return bool(user.school_id) and pair.school_id == user.school_id
    if user.role == Role.MUNICIPAL:
        return bool(user.municipality_id) and pair.school.municipality_id == user.municipality_id
    return False


@rules.predicate
def sees_pair_schools(user, pair):
    """A school, municipality or curator whose scope covers either school of the pair."""
    if pair is None or user.role not in (Role.SCHOOL, Role.MUNICIPAL, Role.CURATOR):
        return False
    scope = scope_for(user)
    return any(scope.covers_school(s) for s in _schools_of(pair))


@rules.predicate
def forms_pairs(user):
    return writes_region(user) or (
        (user.role == Role.SCHOOL and bool(user.school_id))
        or (user.role == Role.MUNICIPAL and bool(user.municipality_id))
    )


def _school_pair_schools(pair) -> list:
    return [
        s
        for s in (getattr(pair, "mentor_school", None), getattr(pair, "supported_school", None))
        if s
    ]


@rules.predicate
def sees_school_pair(user, pair):
    if pair is None or user.role == Role.TEACHER:
        return False
    scope = scope_for(user)
    return any(scope.covers_school(s) for s in _school_pair_schools(pair))


@rules.predicate
def works_in_school_pair(user, pair):
    """Either school of the pair, the supported school's municipality, the region."""
    if pair is None:
        return False
    if writes_region(user):
        return True
    if user.role == Role.SCHOOL:
        return bool(user.school_id) and user.school_id in (
            pair.mentor_school_id,
            pair.supported_school_id,
        )
    if user.role == Role.MUNICIPAL:
        return bool(user.municipality_id) and user.municipality_id in (
            pair.mentor_school.municipality_id,
            pair.supported_school.municipality_id,
        )
    return False


@rules.predicate
def sees_contest(user, contest):
    if contest is None or not user.is_authenticated:
        return False
    if contest.municipality_id is None:
        return True
    if user.role == Role.TEACHER:
        school = user.school
        return school is not None and school.municipality_id == contest.municipality_id
    scope = scope_for(user)
    return scope.everything or contest.municipality_id in scope.visible_municipality_ids()


@rules.predicate
def manages_contest(user, contest):
    """The region keeps every contest; a municipality keeps its own municipal and school ones."""
    if contest is None:
        return False
    return writes_region(user) or (
        user.role == Role.MUNICIPAL
        and bool(user.municipality_id)
        and contest.municipality_id == user.municipality_id
    )


@rules.predicate
def enters_participants(user, contest):
    """A municipality registers its teachers for a regional or federal contest (and for its
    own); the region for any."""
    if contest is None:
        return False
    if manages_contest(user, contest):
        return True
    return (
        user.role == Role.MUNICIPAL
        and bool(user.municipality_id)
        and contest.municipality_id is None
    )


rules.add_perm("development.view_mentorpair", is_in_pair | organises_pair | sees_pair_schools)
rules.add_perm("development.add_mentorpair", forms_pairs)
rules.add_perm("development.change_mentorpair", organises_pair)
rules.add_perm("development.log_mentorpair", is_in_pair | organises_pair)
rules.add_perm("development.view_schoolpair_log", sees_school_pair)
rules.add_perm("development.log_schoolpair", works_in_school_pair)
rules.add_perm("development.view_contest", sees_contest)
rules.add_perm("development.add_contest", creates_events)
rules.add_perm("development.change_contest", manages_contest)
rules.add_perm("development.enter_contest", enters_participants)


from opora.development import visits_rules  # noqa: E402, F401  (methodical visits, observations)
