"""The results of a campaign: per question, per school against the region.

Anonymity rules applied here, whoever reads:

* a group of fewer than :data:`MIN_GROUP` respondents is never shown — not a school's figures,
  not a question's answers when fewer answered it (the head's questionnaire is the school's
  official answer, one per school, and is shown as it is);
* nobody sees one person's response: only counts, shares and means, and free-text answers of
  a group of at least :data:`MIN_GROUP`, sorted alphabetically (never in the order given);
* a school sees its teachers' answers only in aggregate: their free texts are not shown to it.

A fixed number of queries, whatever the number of schools and responses (bench/surveys.py):
counts, respondents and means are read from the running totals (``Tally``, see
``opora.surveys.tallies``), never summed over the answers; only free texts are read from
the answers, at most :data:`MAX_TEXTS` of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.registry.models import School
from opora.surveys.models import (
    WHOLE_QUESTION,
    Answer,
    Audience,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Tally,
)
from opora.surveys.selectors import structures

MIN_GROUP = 5
MAX_TEXTS = 30
#: Questions whose answers have a mean.
MEAN_KINDS = frozenset({QuestionKind.SCALE, QuestionKind.NUMBER})


def min_group(audiences) -> int:
    """The head's questionnaire is the school's official answer (one per school, shown as it
    is); any other group — or the head's read together with others — hides under MIN_GROUP."""
    return 1 if set(audiences) == {Audience.HEAD} else MIN_GROUP


@dataclass
class OptionRow:
    label: str
    region: int
    region_share: float | None
    school: int | None = None
    school_share: float | None = None


@dataclass
class MatrixRow:
    label: str
    options: list[OptionRow]


@dataclass
class QuestionResult:
    question: Question
    number: str
    region_n: int
    region_hidden: bool
    school_n: int | None = None
    school_hidden: bool = False
    options: list[OptionRow] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    region_mean: float | None = None
    school_mean: float | None = None
    texts: list[str] = field(default_factory=list)
    more_texts: int = 0

    def chart(self) -> dict | None:
        """The data of the question's chart (options, shares in %, region and school)."""
        if not self.options or self.region_hidden:
            return None
        return {
            "id": self.question.pk,
            "labels": [o.label for o in self.options],
            "region": [round((o.region_share or 0) * 100, 1) for o in self.options],
            "school": (
                [round((o.school_share or 0) * 100, 1) for o in self.options]
                if self.school_n is not None and not self.school_hidden
                else None
            ),
        }


@dataclass
class SchoolRow:
    school: School
    responses: int
    hidden: bool
    means: list[tuple[float | None, bool]]  # per mean question: the mean, below the region


@dataclass
class Part:
    """The questions of one questionnaire of the campaign and the audiences it was sent to."""

    questionnaire: Questionnaire
    audiences: str
    questions: list[QuestionResult]


@dataclass
class Results:
    campaign: Campaign
    #: The audience read («» — every audience of the campaign together).
    audience: str
    parts: list[Part]
    min_group: int
    responses: int
    questions: list[QuestionResult]
    school: School | None
    school_responses: int | None
    mean_questions: list[QuestionResult]
    schools: list[SchoolRow]
    #: A school reads its teachers' answers only in aggregate: their texts are withheld.
    texts_withheld: bool = False

    @property
    def school_hidden(self) -> bool:
        return self.school_responses is not None and self.school_responses < self.min_group

    def charts(self) -> list[dict]:
        return [c for c in (q.chart() for q in self.questions) if c]


def _aggregate(tallies, kinds: dict[int, str]) -> tuple[dict, dict, dict]:
    """counts {(question, row, option): n}, respondents {question: n}, means {question: avg},
    summed over the schools of ``tallies`` (a few hundred rows per school, not the answers)."""
    counts: dict[tuple, int] = {}
    respondents: dict[int, int] = {}
    means: dict[int, float] = {}
    for question, row, option, n, total in (
        tallies.values_list("question_id", "row", "option")
        .annotate(n=Sum("n"), total=Sum("total"))
        .order_by()
    ):
        if row != WHOLE_QUESTION:
            counts[(question, row, option)] = n
            continue
        respondents[question] = n
        if n and kinds.get(question) in MEAN_KINDS:
            means[question] = float(total) / n
    return counts, respondents, means


def _options_of(q: Question) -> list[str]:
    if q.kind == QuestionKind.SCALE:
        return [str(v) for v in q.scale_values()]
    return list(q.options)


def _rows(q: Question, row: int, counts: dict, n: int) -> list[tuple[str, int, float | None]]:
    return [
        (
            label,
            counts.get((q.pk, row, label), 0),
            counts.get((q.pk, row, label), 0) / n if n else None,
        )
        for label in _options_of(q)
    ]


def _texts(answers, q: Question) -> tuple[list[str], int]:
    texts = answers.filter(question=q).exclude(text="")
    total = texts.count()
    return list(texts.order_by("text").values_list("text", flat=True)[:MAX_TEXTS]), max(
        0, total - MAX_TEXTS
    )


def _question_result(q, number, region, school, limit, texts_from) -> QuestionResult:
    counts, respondents, means = region
    n = respondents.get(q.pk, 0)
    result = QuestionResult(q, number, region_n=n, region_hidden=n < limit)
    s_counts, s_respondents, s_means = school or ({}, {}, {})
    if school is not None:
        result.school_n = s_respondents.get(q.pk, 0)
        result.school_hidden = result.school_n < limit
    if not result.region_hidden:
        result.region_mean = means.get(q.pk)
    if school is not None and not result.school_hidden:
        result.school_mean = s_means.get(q.pk)
    rows = range(len(q.rows)) if q.kind == QuestionKind.MATRIX else [0]
    built = []
    for row in rows:
        region_rows = _rows(q, row, counts, n)
        school_rows = _rows(q, row, s_counts, result.school_n or 0)
        built.append(
            [
                OptionRow(label, rn, rs, sn if school is not None else None, ss)
                for (label, rn, rs), (_, sn, ss) in zip(region_rows, school_rows, strict=True)
            ]
        )
    if q.kind == QuestionKind.MATRIX:
        result.matrix = [MatrixRow(label, opts) for label, opts in zip(q.rows, built, strict=True)]
    elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
        result.options = built[0]
    if q.kind == QuestionKind.TEXT and texts_from is not None:
        group_n = result.school_n if school is not None else n
        if group_n >= MIN_GROUP:
            result.texts, result.more_texts = _texts(texts_from, q)
    return result


def chosen_sendings(campaign: Campaign, audience: str, sendings=None) -> list:
    """The audiences read: the one named, or every audience of the campaign."""
    sendings = campaign.sendings if sendings is None else sendings
    one = [a for a in sendings if a.audience == audience]
    return one or sendings


def campaign_results(
    user, campaign: Campaign, school: School | None = None, audience: str = ""
) -> Results:
    """The region (every school of the campaign) and, when given, one school of the scope;
    of one audience (``audience``) or of every audience together (a questionnaire shared by
    several audiences sums their answers). A fixed number of queries, whatever the number of
    schools, answers or audiences."""
    every = campaign.sendings
    sendings = chosen_sendings(campaign, audience, every)
    audiences = [a.audience for a in sendings]
    limit = min_group(audiences)
    parts_of: dict[int, list] = {}
    for a in sendings:
        parts_of.setdefault(a.questionnaire_id, [a.questionnaire, []])[1].append(a)
    sections = structures(list(parts_of))
    kinds = {q.pk: q.kind for ss in sections.values() for s in ss for q in s.questions.all()}
    answers = Answer.objects.filter(campaign=campaign, audience__in=audiences)
    tallies = Tally.objects.filter(campaign=campaign, audience__in=audiences)
    region = _aggregate(tallies, kinds)
    school_data = _aggregate(tallies.filter(school=school), kinds) if school is not None else None
    # A school reads its teachers' answers only in aggregate: their free texts are withheld.
    withheld = user.role == Role.SCHOOL and Audience.TEACHERS in audiences
    texts_from = answers.filter(school=school) if school is not None else answers
    if withheld:
        texts_from = texts_from.exclude(audience=Audience.TEACHERS)
    # Free texts are read only from the schools of the reader's scope.
    texts_from = scope_for(user).filter(
        texts_from, school="school_id", municipality="school__municipality_id"
    )
    several = len(parts_of) > 1
    parts, questions = [], []
    for p_index, (questionnaire_id, (questionnaire, asked)) in enumerate(parts_of.items(), 1):
        part = Part(questionnaire, ", ".join(a.get_audience_display() for a in asked), [])
        # The head's questionnaire read together with others is still one answer per school.
        part_limit = min_group(a.audience for a in asked)
        for s_index, section in enumerate(sections.get(questionnaire_id, []), start=1):
            for q_index, q in enumerate(section.questions.all(), start=1):
                number = f"{s_index}.{q_index}"
                number = f"{p_index}.{number}" if several else number
                part.questions.append(
                    _question_result(q, number, region, school_data, part_limit, texts_from)
                )
        parts.append(part)
        questions += part.questions
    counts = dict(
        Response.objects.filter(campaign=campaign, audience__in=audiences)
        .values_list("school_id")
        .annotate(n=Count("id"))
    )
    mean_questions = [r for r in questions if r.question.kind in MEAN_KINDS and not r.region_hidden]
    return Results(
        campaign=campaign,
        audience=audience if len(sendings) == 1 and len(every) > 1 else "",
        parts=parts,
        min_group=limit,
        responses=sum(counts.values()),
        questions=questions,
        school=school,
        school_responses=counts.get(school.pk, 0) if school is not None else None,
        mean_questions=mean_questions,
        schools=_school_rows(user, campaign, audiences, counts, mean_questions, limit),
        texts_withheld=withheld,
    )


def _school_rows(user, campaign, audiences, counts, mean_questions, limit) -> list[SchoolRow]:
    """Each school of the scope against the region: responses and the mean of each scale or
    number question (hidden under the minimum group)."""
    targets = (
        scope_for(user)
        .filter(
            campaign.targets.select_related("school"),
            school="school_id",
            municipality="school__municipality_id",
        )
        .order_by("school__short_name")
    )
    schools = [t.school for t in targets]
    ids = [q.question.pk for q in mean_questions]
    means: dict[int, dict[int, tuple[float, int]]] = defaultdict(dict)
    for school_id, question_id, n, total in (
        Tally.objects.filter(
            campaign=campaign,
            audience__in=audiences,
            row=WHOLE_QUESTION,
            question_id__in=ids,
            school_id__in=[s.pk for s in schools],
        )
        .values_list("school_id", "question_id")
        .annotate(n=Sum("n"), total=Sum("total"))
        .order_by()
    ):
        if n:
            means[school_id][question_id] = (float(total) / n, n)
    rows = []
    for s in schools:
        responses = counts.get(s.pk, 0)
        hidden = responses < limit
        cells = []
        for q in mean_questions:
            avg, n = means[s.pk].get(q.question.pk, (None, 0))
            if hidden or n < limit or avg is None:
                cells.append((None, False))
            else:
                cells.append((avg, q.region_mean is not None and avg < q.region_mean))
        rows.append(SchoolRow(s, responses, hidden, cells))
    return rows
