"""The working loop at a region's scale (issue 16, «Measured»): «Ждут меня» and the
notifications of every role, and the e-mail digests of 5 000 users.

    .venv/bin/python bench/loop.py                     # 300 and 10 000 schools, SQLite and PostgreSQL
    .venv/bin/python bench/loop.py --backend postgres --users 5000 --repeat 50
    .venv/bin/python bench/loop.py --quick             # 300 schools, SQLite only (make bench)

The region is the Tomsk demo topped up with generated schools (``opora.registry.demo``), in a
throwaway database; on it this benchmark generates (synthetic, labelled «(бенчмарк)») a user
per school up to ``--users``, a coordinator per municipality, a curator of the city of Tomsk,
the regional roadmap in force with an event addressed to schools on which every school has
reported (a report in ten returned to redo), twenty recommendations per municipality due around
today, and three unread notifications per user.

Figures, each beside its target: the inbox and the notification list of the region, the
curator, the city's coordinator and a school, p95 under 150 ms with the same number of queries at
every scale; each one's home page with the inbox on it, p95 under 150 ms; the roll-up of the
regional event every school answered, for the region, the curator and the coordinator, p95 under
300 ms with constant queries; one digest run for
every user (``--users``, 5 000 by default) under 60 s, and a second run sending nothing.
Requests go through ``django.test.Client`` (the whole Django stack without the network); the
letters go to Django's in-memory mailer.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    Database,
    Figure,
    common_arguments,
    log,
    print_table,
    run_children,
    time_page,
    write_figures,
)

TARGET_P95_MS = 150.0
TARGET_ROLLUP_P95_MS = 300.0
TARGET_DIGEST_S = 60.0
DEMO_SCALE = 300
MARK = "(бенчмарк)"


def populate(users_wanted: int) -> dict:
    """The synthetic loop described in the module's docstring; idempotent per scale (tops up)."""
    from django.utils import timezone

    from opora.accounts.models import Role, User
    from opora.core.calendar import current_year
    from opora.notifications.models import Notification, NotificationKind
    from opora.people.models import CuratorAssignment, Person
    from opora.recommendations.models import Recommendation, RecommendationStatus
    from opora.registry.models import Municipality, School
    from opora.roadmaps.models import (
        EventExecutor,
        EventPeriod,
        ExecutorRole,
        ProgressReport,
        ProgressStatus,
        ReviewState,
        Roadmap,
        RoadmapEvent,
        RoadmapStatus,
    )

    today = timezone.localdate()
    tomsk = Municipality.objects.get(name="Город Томск")

    def user(username, role, **extra):
        found = User.objects.filter(username=username).first()
        if found:
            return found
        return User.objects.create(
            username=username,
            role=role,
            first_name="Пользователь",
            last_name=MARK,
            email=f"{username}@example.org",
            **extra,
        )

    region = user("bench-region", Role.REGION)
    user("bench-operator", Role.OPERATOR)
    person, _ = Person.objects.get_or_create(last_name=f"Кураторова {MARK}", first_name="Анна")
    CuratorAssignment.objects.get_or_create(person=person, year=current_year(), municipality=tomsk)
    curator = user("bench-curator", Role.CURATOR, person=person)
    municipal = {
        m.pk: user(f"bench-muni-{m.pk}", Role.MUNICIPAL, municipality=m)
        for m in Municipality.objects.all()
    }
    have = set(User.objects.filter(role=Role.SCHOOL).values_list("school_id", flat=True))
    missing = (
        School.objects.exclude(pk__in=have).order_by("-municipality_id", "pk")
        # the city's schools first: the curator's and the coordinator's inboxes grow with scale
    )
    room = max(0, users_wanted - len(have))
    User.objects.bulk_create(
        [
            User(
                username=f"bench-school-{s.pk}",
                role=Role.SCHOOL,
                school=s,
                first_name="Школа",
                last_name=MARK,
                email=f"school-{s.pk}@example.org",
            )
            for s in missing.order_by("pk")[:room]
        ],
        batch_size=1000,
    )

    roadmap, made = Roadmap.objects.get_or_create(
        level="region",
        title=f"Региональная дорожная карта {MARK}",
        defaults={
            "owner_name": "ДОО ТО",
            "period_start": today.replace(month=1, day=1),
            "period_end": today.replace(month=12, day=31),
            "status": RoadmapStatus.APPROVED,
        },
    )
    if made:
        event = RoadmapEvent.objects.create(
            roadmap=roadmap, number="11.", text="Разработка школьных программ перехода"
        )
        EventExecutor.objects.create(event=event, written="ОО", role=ExecutorRole.SCHOOL)
        EventPeriod.objects.create(
            event=event, start=today - timedelta(days=40), end=today - timedelta(days=10)
        )
    event = roadmap.events.get()
    period = event.periods.get()
    reported = set(ProgressReport.objects.filter(event=event).values_list("school_id", flat=True))
    schools = list(
        User.objects.filter(role=Role.SCHOOL)
        .exclude(school_id__in=reported)
        .values_list("pk", "school_id")
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                event=event,
                period=period,
                status=ProgressStatus.DONE,
                done_on=today - timedelta(days=12),
                comment="Программа утверждена приказом директора.",
                reported_by_id=pk,
                school_id=school_id,
                review_state=ReviewState.RETURNED if school_id % 10 == 0 else ReviewState.PENDING,
                review_comment="Приложите приказ." if school_id % 10 == 0 else "",
            )
            for pk, school_id in schools
        ],
        batch_size=1000,
    )

    given = set(Recommendation.objects.values_list("municipality_id", flat=True).distinct())
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                municipality_id=m,
                order=i,
                text=f"Рекомендация {i + 1} {MARK}: дополнить дорожную карту мероприятиями",
                status=RecommendationStatus.OPEN,
                due_date=today + timedelta(days=i - 10),
            )
            for m in municipal
            if m not in given
            for i in range(20)
        ]
    )

    told = set(Notification.objects.values_list("user_id", flat=True).distinct())
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=pk,
                kind=NotificationKind.SUBMITTED_TO_ME,
                title=f"Уведомление {n + 1} {MARK}",
                url="/inbox/",
                key=f"bench:{pk}:{n}",
            )
            for pk in User.objects.exclude(pk__in=told).values_list("pk", flat=True)
            for n in range(3)
        ],
        batch_size=2000,
    )
    school_user = User.objects.filter(role=Role.SCHOOL, school__municipality=tomsk).first()
    return {
        "region": region,
        "curator": curator,
        "municipal": municipal[tomsk.pk],
        "school": school_user,
        "event": event.pk,
        "users": User.objects.filter(is_active=True).exclude(email="").count(),
    }


def pages(label: str, event_pk: int) -> list[tuple[str, str, float]]:
    """(page, address, p95 target) for a user of ``label``: the inbox, the notifications and
    the home page with the inbox on it; the roll-up of the regional event every school answered
    for those who follow many (a school answers for itself and has none)."""
    from django.urls import reverse

    found = [
        ("inbox", reverse("inbox"), TARGET_P95_MS),
        ("notifications", reverse("notifications:list"), TARGET_P95_MS),
        ("home", reverse("home"), TARGET_P95_MS),
    ]
    if label != "school":
        found.append(
            ("roll-up", reverse("roadmaps:event_rollup", args=[event_pk]), TARGET_ROLLUP_P95_MS)
        )
    return found


def time_digests() -> tuple[float, float, int, int]:
    """One digest run for everyone with news, then a second one; wall s, CPU s, letters."""
    from datetime import datetime

    from django.core import mail
    from django.test.utils import override_settings
    from django.utils import timezone

    from opora.notifications.digests import send_digests

    morning = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    morning += timedelta(hours=8)
    mailers = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with override_settings(MAILERS=mailers):
        mail.outbox = []
        started, started_cpu = time.perf_counter(), time.process_time()
        sent = send_digests(morning)
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        again = send_digests(morning)
    return wall, cpu, sent, again


def _page_figures(args, scale_label, who, baseline, event_pk) -> list[Figure]:
    from django.test import Client

    figures = []
    client = Client()
    for label, user in who:
        client.force_login(user)
        for page, url, target in pages(label, event_pk):
            t = time_page(client, url, args.repeat)
            key = (label, page)
            baseline.setdefault(key, t.queries)
            problems = []
            if t.status != 200:
                problems.append(f"HTTP {t.status}")
            if t.p95_ms >= target:
                problems.append(f"p95 ≥ {target:.0f} ms")
            if t.queries != baseline[key]:
                problems.append(f"queries grow: {baseline[key]} at the first scale")
            figures.append(
                Figure(
                    name=f"{page} [{label}]",
                    backend=args.backend,
                    scale=scale_label,
                    median_ms=t.median_ms,
                    p95_ms=t.p95_ms,
                    cpu_ms=t.cpu_ms,
                    queries=t.queries,
                    target=f"p95 < {target:.0f} ms, queries constant",
                    ok=not problems,
                    note="; ".join(problems),
                )
            )
            log(
                f"{args.backend} {scale_label} {label:9} {page:14} {t.p95_ms:7.1f} ms p95 "
                f"(CPU {t.cpu_ms:.1f} ms)"
            )
    return figures


def child(args: argparse.Namespace) -> None:
    scales = [DEMO_SCALE] if args.quick else sorted({DEMO_SCALE, args.schools})
    figures: list[Figure] = []
    with Database(args.backend) as database:
        from opora.registry.demo import load_demo

        baseline: dict[tuple[str, str], int] = {}
        for scale in scales:
            started = time.perf_counter()
            counts, _ = load_demo(target_schools=scale)
            users_wanted = min(args.users, counts.schools) if scale == scales[-1] else scale // 2
            made = populate(users_wanted)
            database.analyze()
            scale_label = f"{counts.schools} schools, {made['users']} users"
            log(
                f"{args.backend}: {scale_label} ({time.perf_counter() - started:.1f} s to generate)"
            )
            who = [
                ("region", made["region"]),
                ("curator", made["curator"]),
                ("municipal", made["municipal"]),
                ("school", made["school"]),
            ]
            figures += _page_figures(args, scale_label, who, baseline, made["event"])
        wall, cpu, sent, again = time_digests()
        problems = []
        if wall >= TARGET_DIGEST_S:
            problems.append(f"≥ {TARGET_DIGEST_S:.0f} s")
        if again:
            problems.append(f"second run sent {again}")
        figures.append(
            Figure(
                name=f"digest run, {sent} letters",
                backend=args.backend,
                scale=scale_label,
                median_ms=wall * 1000,
                cpu_ms=cpu * 1000,
                target=f"< {TARGET_DIGEST_S:.0f} s for every user; nothing twice",
                ok=not problems,
                note="; ".join(problems) or f"second run: {again} letters",
            )
        )
        log(f"{args.backend} digests: {sent} letters in {wall:.1f} s (CPU {cpu:.1f} s)")
    write_figures(args.child_out, figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser)
    parser.add_argument(
        "--users", type=int, default=5000, help="пользователей-школ (по умолчанию 5 000)"
    )
    args = parser.parse_args()
    if args.child_out:
        child(args)
        return 0
    passthrough = [
        "--schools",
        str(args.schools),
        "--repeat",
        str(args.repeat),
        "--users",
        str(args.users),
    ]
    if args.quick:
        passthrough.append("--quick")
    figures = run_children(Path(__file__).resolve(), args, passthrough)
    title = (
        f"bench/loop.py — «Ждут меня», notifications and digests, {args.repeat} requests each "
        f"(targets: p95 < {TARGET_P95_MS:.0f} ms, queries constant; digests < "
        f"{TARGET_DIGEST_S:.0f} s)"
    )
    return 0 if print_table(title, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
