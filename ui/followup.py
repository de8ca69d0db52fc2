"""A follow-up visit in the interview (issue 19): the case as it stood at the last visit is kept,
the questions most likely to have changed are asked first with last visit's answer beside each,
and the visit is saved into the case's history file — downloaded, never kept on the server.

Session state (beside the interview's):
  visits    the visits of a loaded history (engine.history.Visit), oldest first; empty for a
            case without history until a follow-up visit begins
  baseline  the answers as loaded: what a save compares with when no follow-up visit was begun
  followup  {"date", "before": the answers at the start of this visit, "declined": set aside
            then, "seen": fields answered or confirmed at this visit}; absent otherwise
"""

from typing import Any

import streamlit as st
import yaml

from engine import history

# Where change comes first after a first visit: integration, recovery, the legal situation,
# health and whereabouts (the matrix's last stages move over months; the first ones rarely do).
LIKELY_TO_CHANGE = ("integration.", "recovery.", "legal.", "exit.health", "location.")


def loaded(s, visits: tuple[history.Visit, ...]) -> None:
    """A case file was loaded: remember its visits and its answers as they were."""
    s.visits, s.baseline = tuple(visits), dict(s.answers)
    s.pop("followup", None)


def start(s, today: str, previous: str | None = None) -> None:
    """Begin a visit dated `today` on the answers as they stand; a case without history first
    becomes one, its answers the visit of `previous` (the date of the earlier visit)."""
    if not s.get("visits"):
        s.visits = (history.Visit(previous or today, _nested(s.answers)),)
    s.followup = {"date": today, "before": dict(s.answers), "declined": dict(s.declined), "seen": set()}
    s.declined = {}  # what was set aside last time is asked again
    s.editing = None


def active(s) -> bool:
    return bool(s.get("followup"))


def queue(s, fields: tuple[str, ...]) -> list[str]:
    """This visit's first questions, in order: those set aside last time, then the ones likely
    to change that had an answer; each until answered or confirmed at this visit."""
    f = s.followup
    aside = [p for p in fields if p in f["declined"]]
    likely = sorted(
        (p for p in fields if p.startswith(LIKELY_TO_CHANGE) and p in f["before"] and p not in aside),
        key=lambda p: next(i for i, prefix in enumerate(LIKELY_TO_CHANGE) if p.startswith(prefix)),
    )
    return [p for p in aside + likely if p not in f["seen"]]


def next_field(s, fields: tuple[str, ...]) -> str | None:
    """The next of this visit's first questions, or None to go on as in any interview."""
    if not active(s) or s.get("editing"):
        return None
    waiting = queue(s, fields)
    return waiting[0] if waiting else None


def seen(s, path: str) -> None:
    """The question was answered, set aside or kept as it was at this visit."""
    if active(s):
        s.followup["seen"].add(path)


def keep(s, path: str) -> None:
    """'Unchanged since last visit': last visit's answer stands."""
    seen(s, path)
    s.editing = None


def last_time(s, t, path: str) -> str | None:
    """Last visit's answer to this question, as it reads; None outside a follow-up visit."""
    if not active(s):
        return None
    f = s.followup
    if path in f["declined"]:
        shown = t.message(f"decline.{f['declined'][path]}")
    elif path in f["before"]:
        shown = t.answer(path, f["before"][path])
    else:
        shown = t.message("value.unknown")
    return t.message("followup.last_time", answer=shown)


def _nested(answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path, value in answers.items():
        section, name = path.split(".", 1)
        out.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
    return out


def visits_now(s, today: str) -> list[history.Visit]:
    """The history's visits with what was given or changed since: at this follow-up visit, or,
    without one, since the history was loaded (dated today)."""
    visits = list(s.get("visits") or ())
    f = s.get("followup")
    if f:
        visits.append(history.Visit(f["date"], history.changes(_nested(f["before"]), _nested(s.answers))))
    elif visits and s.answers != s.get("baseline"):
        visits.append(history.Visit(today, history.changes(_nested(s.baseline), _nested(s.answers))))
    return visits


def is_history(s) -> bool:
    return bool(s.get("visits"))


def history_text(s, ruleset, today: str) -> str:
    """The case history as a file to download, loadable again as it is."""
    data = history.file_dict(s.case_id, "survivor_case", visits_now(s, today))
    header = (
        f"# ctm case history, exported {today}; rule set {ruleset.version} {ruleset.digest}\n"
        "# A pseudonymous reference only: never add a name, an address or a photograph.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def beside(s, t, path: str) -> None:
    """Under a question at a follow-up visit: last visit's answer, and a way to keep it."""
    note = last_time(s, t, path)
    if note is None:
        return
    st.info(note, icon=":material/history:")
    if path in s.followup["before"]:
        st.button(t.message("followup.unchanged"), key=f"unchanged_{path}", on_click=keep, args=(s, path))


def controls(s, t) -> None:
    """In the files box: begin a follow-up visit on a loaded case, or say which one is under way."""
    if active(s):
        st.success(
            t.message("followup.under_way", date=t.number(s.followup["date"]), count=t.number(len(s.visits) + 1))
        )
        return
    if not s.answers:
        return
    st.markdown(f"**{t.message('followup.title')}**")
    st.caption(t.message("followup.help"))
    st.date_input(t.message("followup.date"), key="followup_date", format="YYYY-MM-DD")
    previous = None
    if not is_history(s):
        previous = st.date_input(
            t.message("followup.previous_date"), value=None, key="followup_previous", format="YYYY-MM-DD"
        )
    st.button(
        t.message("followup.begin"),
        key="followup_begin",
        disabled=not is_history(s) and previous is None,
        on_click=_begin,
        args=(s,),
    )


def _begin(s) -> None:
    """The dates as chosen when the button was pressed (a callback runs before the page does)."""
    previous = s.get("followup_previous")
    start(s, s.followup_date.isoformat(), previous.isoformat() if previous else None)
