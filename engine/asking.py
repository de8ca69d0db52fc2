"""The order of the interview: the questions asked early and the follow-ups an answer opens
(knowledge/interview.yaml). engine/infer.py puts them at the front of `missing`."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import conditions, yamlio
from engine.conditions import Condition
from engine.errors import CtmError
from engine.knowledge import Catalogue, Problem


@dataclass(frozen=True)
class Asking:
    early: tuple[str, ...] = ()
    follow_ups: tuple[tuple[Condition, tuple[str, ...], int], ...] = ()  # (when, ask, line)
    path: str = ""

    def front(self, answers: dict[str, Any]) -> list[str]:
        """The unanswered follow-ups the answers have opened, in the order written."""
        found: list[str] = []
        for when, ask, _ in self.follow_ups:
            if conditions.evaluate(when, answers) is True:
                found += [f for f in ask if answers.get(f) is None and f not in found]
        return found

    def to_data(self) -> dict[str, Any]:
        return {
            "early": list(self.early),
            "path": self.path,
            "follow_ups": [{"when": conditions.to_data(w), "ask": list(a), "line": n} for w, a, n in self.follow_ups],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Asking":
        return cls(
            tuple(data["early"]),
            tuple((conditions.parse(f["when"]), tuple(f["ask"]), f["line"]) for f in data["follow_ups"]),
            data["path"],
        )


@lru_cache(maxsize=1)
def _models() -> Any:
    """The file's closed models, built when a file is first loaded (not when assessing from the
    start-up cache)."""
    from pydantic import BaseModel, ConfigDict, Field

    class _Closed(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    class _FollowUp(_Closed):
        when: Any
        ask: list[str] = Field(min_length=1)

    class _File(_Closed):
        early: list[str] = []
        follow_ups: list[Any] = []

    return _File, _FollowUp


def load(path: Path, problems: list[Problem]) -> Asking:
    """The interview order of `path`; a missing file means the weighing alone."""
    if not path.exists():
        return Asking()
    from pydantic import ValidationError

    _File, _FollowUp = _models()
    try:
        data = yamlio.load(path)
        spec = _File.model_validate(data)
    except CtmError as error:
        problems.append(Problem(str(path), error.line, error.message))
        return Asking()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        problems.append(
            Problem(
                str(path),
                getattr(data, "line", None),
                f"{'.'.join(map(str, first['loc']))}: {first['msg']} (the file has: early, follow_ups)",
            )
        )
        return Asking()
    follow_ups = []
    for index, item in enumerate(spec.follow_ups):
        line = getattr(item, "line", None) or 0
        try:
            follow = _FollowUp.model_validate(item)
            follow_ups.append((conditions.parse(follow.when, f"follow_ups[{index}].when"), tuple(follow.ask), line))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"follow_ups[{index}].{'.'.join(map(str, first['loc']))}: "
                    f"{first['msg']} (a follow-up has: when, ask)",
                )
            )
        except ValueError as error:
            problems.append(Problem(str(path), line, str(error)))
    return Asking(tuple(spec.early), tuple(follow_ups), str(path))


def check(asking: Asking, catalogue: Catalogue) -> list[Problem]:
    """Every question named is an interview question; every condition reads known facts."""
    from engine.rules import check_condition

    problems = [
        Problem(asking.path, None, f"early names '{f}', which is not an interview question")
        for f in asking.early
        if f not in catalogue.questions
    ]
    for when, ask, line in asking.follow_ups:
        found = check_condition(when, ("survivor_case",))
        found += [f"asks '{f}', which is not an interview question" for f in ask if f not in catalogue.questions]
        problems += [Problem(asking.path, line, message) for message in found]
    return problems
