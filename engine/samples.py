"""Invented cases drawn at random from the vocabulary, for benchmarks and cross-checks.

Every answer is left unknown with some probability, so the samples cover partial cases as
an interview sees them. Seeded: the same seed gives the same cases.
"""

import random
from datetime import date
from enum import Enum
from typing import Any

from engine.case import CaseFile, field_info
from engine.profiles import FIELDS_BY_KIND, MODELS


def random_answer(path: str, rng: random.Random) -> Any:
    kind, is_list = field_info(path)
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [m.value for m in kind]
        return rng.sample(values, rng.randint(0, min(3, len(values)))) if is_list else rng.choice(values)
    if kind is bool:
        return rng.random() < 0.5
    if path == "legal.events_year":  # both sides of the 2012 Act / Ordinance changeover
        return rng.choice([2010, 2012, 2024, 2025, 2026, 2027])
    if kind is date:  # legal.events_date: either side of the changeover on 6 January 2026
        return date(2026, 1, rng.choice([4, 5, 6, 7]))
    if kind is int:
        return rng.choice([0, 1, 2, 6, 17, 18, 25, 40]) if path == "person.age" else rng.randint(0, 24)
    return rng.choice(["Bangladesh", "India", "Malaysia"])


def random_answers(rng: random.Random, kind: str = "survivor_case", known: float = 0.6) -> dict[str, Any]:
    """Random answers by section, each field answered with probability `known`."""
    data: dict[str, Any] = {}
    for path in FIELDS_BY_KIND[kind]:
        if rng.random() < known:
            section, name = path.split(".")
            data.setdefault(section, {})[name] = random_answer(path, rng)
    legal = data.get("legal", {})
    if "events_date" in legal and "events_year" in legal:  # one date, in the year given
        legal["events_date"] = legal["events_date"].replace(year=legal["events_year"])
    return data


def random_case(rng: random.Random, index: int = 0, known: float = 0.6, kind: str = "survivor_case") -> CaseFile:
    data: dict[str, Any] = {"case_id": f"SIM-{index:05d}", **random_answers(rng, kind, known)}
    return MODELS[kind].model_validate(data)


def random_cases(count: int, seed: int = 2026, known: float = 0.6) -> list[CaseFile]:
    rng = random.Random(seed)
    return [random_case(rng, i, known) for i in range(count)]
