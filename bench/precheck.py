"""The pre-check's coverage against a labelled set: does an event address a recommendation?

Reads :mod:`bench.precheck_set` (22 recommendations of seed 000 × 6 kinds of events = 132
pairs), puts all the events into one index (so that word weights are those of a large roadmap)
and asks the pre-check's matcher (:class:`opora.core.russian.matcher.MeaningIndex`, the one the
pre-check, the suggestions and the catalogue use) which events address each recommendation.
Every recommendation is also checked against every other recommendation's events
(«перекрёстные»): a cover there is a false one.

Targets (issue 13): recall of paraphrases ≥ 80 %, negated or keyword-list events counted as
covering ≤ 10 %. Printed beside their targets with wall and CPU time.

    .venv/bin/python bench/precheck.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    from precheck_set import COVERS, EVENTS, KINDS, RECOMMENDATIONS

    from opora.core.russian.matcher import MeaningIndex

    texts, labels = [], []
    for key, kinds in EVENTS.items():
        for kind in KINDS:
            texts.append(kinds[kind])
            labels.append((key, kind))
    wall, cpu = time.perf_counter(), time.process_time()
    index = MeaningIndex(texts)
    found = {key: {i for i, _ in index.matches(text)} for key, text in RECOMMENDATIONS.items()}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    by_kind = {kind: [0, 0] for kind in KINDS}
    cross = 0
    for pk, (key, kind) in enumerate(labels):
        by_kind[kind][0] += pk in found[key]
        by_kind[kind][1] += 1
        cross += sum(pk in found[other] for other in found if other != key)
    pairs = sum(n for _, n in by_kind.values())
    print(
        f"Размеченный набор: {len(RECOMMENDATIONS)} рекомендаций × {len(KINDS)} видов = "
        f"{pairs} пар (+ перекрёстные пары рекомендации с чужими мероприятиями)"
    )
    print(f"{'вид мероприятия':<28} {'покрыто':>8} {'из':>4} {'доля':>7}  ожидается")
    for kind, (hit, n) in by_kind.items():
        expected = "покрывает" if COVERS.get(kind) else "не покрывает"
        print(f"{kind:<28} {hit:>8} {n:>4} {hit / n:>7.0%}  {expected}")
    tp = sum(by_kind[k][0] for k in COVERS)
    fp = sum(by_kind[k][0] for k in KINDS if k not in COVERS) + cross
    positives = sum(by_kind[k][1] for k in COVERS)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives
    paraphrase = (by_kind["paraphrase"][0] + by_kind["official"][0]) / (
        by_kind["paraphrase"][1] + by_kind["official"][1]
    )
    refused = (by_kind["negated"][0] + by_kind["keywords"][0]) / (
        by_kind["negated"][1] + by_kind["keywords"][1]
    )
    alone = by_kind["paraphrase"][0] / by_kind["paraphrase"][1]
    # One «Разное: …» event listing the keywords of every recommendation (the fifth
    # roadmap): it must cover none of them, in a roadmap of the verbatim events.
    listing = "Разное: " + ", ".join(
        kinds["keywords"].split(":", 1)[-1].strip() for kinds in EVENTS.values()
    )
    one_list = MeaningIndex([*(kinds["other"] for kinds in EVENTS.values()), listing])
    listed = sum(
        any(i == one_list.n - 1 for i, _ in one_list.matches(text))
        for text in RECOMMENDATIONS.values()
    ) / len(RECOMMENDATIONS)
    checks = [
        ("полнота на пересказах (paraphrase)", alone, "≥ 80 %", alone >= 0.8),
        ("полнота на пересказах (paraphrase+official)", paraphrase, "≥ 80 %", paraphrase >= 0.8),
        ("отказ/список слов засчитан как покрытие", refused, "≤ 10 %", refused <= 0.10),
        ("одно «Разное: …» со всеми словами покрывает", listed, "≤ 10 %", listed <= 0.10),
        ("точность (вкл. чужие мероприятия)", precision, "—", True),
        ("полнота (все покрывающие)", recall, "—", True),
    ]
    print(f"\n{'показатель':<46} {'значение':>8}  {'цель':<7} итог")
    for name, value, target, ok in checks:
        print(f"{name:<46} {value:>8.0%}  {target:<7} {'OK' if ok else 'ПРОВАЛ'}")
    print(f"перекрёстных ложных покрытий: {cross}")
    print(
        f"время сопоставления всех рекомендаций: стена {wall * 1000:.0f} мс, ЦП {cpu * 1000:.0f} мс"
    )
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
