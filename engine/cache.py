"""A start-up cache of the *validated* rule set, so `ctm assess` need not re-parse YAML.

Keyed by ctm's version and the digest of every rule and knowledge file, so an upgrade of ctm
(which may check more, or report another version) and any edit miss the cache, and the files
are loaded and checked again. It holds rule-set data only — never case data —
as plain JSON (nothing in it can run). Set CTM_NO_CACHE=1 to switch it off; a cache
directory that cannot be written is simply not used.
"""

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from engine import __version__, conditions
from engine.knowledge import SECTIONS, Catalogue
from engine.rules import Effects, FlagEffect, Rule, RuleSet
from engine.asking import Asking
from engine.urgency import Urgency


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ctm"


def _enabled() -> bool:
    return os.environ.get("CTM_NO_CACHE", "") in ("", "0")


def _path(digest: str) -> Path:
    return cache_dir() / f"ruleset-{__version__}-{digest.removeprefix('sha256:')[:32]}.json"


def read(digest: str) -> RuleSet | None:
    if not _enabled():
        return None
    try:
        data = json.loads(_path(digest).read_text(encoding="utf-8"))
        if data.get("digest") != digest or data.get("version") != __version__:
            return None
        catalogue = Catalogue()
        for section, model in SECTIONS.items():
            entries = getattr(catalogue, section)
            for item in data["catalogue"][section]:
                if section == "sources":  # JSON holds a day in force as text; the model, as a date
                    item = {
                        **item,
                        **{
                            k: date.fromisoformat(v)
                            for k in ("in_force_from", "in_force_until")
                            if isinstance(v := item.get(k), str)
                        },
                    }
                entry = model.model_construct(**item)
                entries[item["field"] if section == "questions" else item["id"]] = entry
        rules = tuple(
            Rule(
                id=r["id"],
                area=r["area"],
                stage=r["stage"],
                nodes=tuple(r["nodes"]),
                when=conditions.parse(r["when"]),
                effects=_effects(r["effects"]),
                because=r["because"],
                sources=tuple(r["sources"]),
                path=r["path"],
                line=r["line"],
                kinds=tuple(r["kinds"]),
            )
            for r in data["rules"]
        )
        return RuleSet(
            rules,
            catalogue,
            data["version"],
            digest,
            Urgency.from_data(data["urgency"]),
            Asking.from_data(data["asking"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _effects(data: dict[str, Any]) -> Effects:
    """Rebuild validated effects without running (and so building) their validators again."""
    flags = [FlagEffect.model_construct(**flag) for flag in data["flags"]]
    return Effects.model_construct(**{**data, "flags": flags})


def write(ruleset: RuleSet) -> None:
    if not _enabled():
        return
    cat = ruleset.catalogue
    data = {
        "digest": ruleset.digest,
        "version": ruleset.version,
        "catalogue": {s: [e.model_dump(mode="json") for e in getattr(cat, s).values()] for s in SECTIONS},
        "rules": [
            {
                "id": r.id,
                "area": r.area,
                "stage": r.stage,
                "nodes": list(r.nodes),
                "when": conditions.to_data(r.when),
                "effects": r.effects.model_dump(mode="json"),
                "because": r.because,
                "sources": list(r.sources),
                "path": r.path,
                "line": r.line,
                "kinds": list(r.kinds),
            }
            for r in ruleset.rules
        ],
        "urgency": ruleset.urgency.to_data(),
        "asking": ruleset.asking.to_data(),
    }
    try:
        path = _path(ruleset.digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)  # atomic: a reader never sees half a file
    except OSError:
        pass
