"""The start-up cache of the validated rule set gives exactly the rule set the files give."""

from engine import cache
from engine.infer import Assessor
from engine.report import to_json
from engine.rules import load_rules, load_valid_rules
from engine.samples import random_cases


def test_the_cache_round_trip_keeps_every_rule_and_every_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CTM_NO_CACHE", raising=False)
    fresh, problems = load_rules(deep=False)
    assert not problems
    cache.write(fresh)
    cached = cache.read(fresh.digest)
    assert cached is not None and cached.digest == fresh.digest
    assert [(r.id, r.stage, r.when, r.effects, r.sources, r.nodes) for r in cached.rules] == [
        (r.id, r.stage, r.when, r.effects, r.sources, r.nodes) for r in fresh.rules
    ]
    assert cached.catalogue.interventions == fresh.catalogue.interventions
    assert cached.catalogue.sources == fresh.catalogue.sources  # days in force stay dates
    one, two = Assessor(fresh), Assessor(cached)
    for case in random_cases(200, seed=7):
        assert to_json(one.assess(case)) == to_json(two.assess(case))


def test_an_edited_file_misses_the_cache(copies, tmp_path, monkeypatch):
    rules, knowledge = copies
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CTM_NO_CACHE", raising=False)
    before = load_valid_rules(rules, knowledge)
    assert cache.read(before.digest) is not None
    path = rules / "rights.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("because: >\n      ", "because: >\n      Edited. ", 1), encoding="utf-8")
    after = load_valid_rules(rules, knowledge)
    assert after.digest != before.digest and cache.read(after.digest) is not None
    edited = [r for r in after.rules if r.because.startswith("Edited. ")]
    assert len(edited) == 1 and edited[0].path == str(path)  # read from the edited file, not the cache


def test_another_version_of_ctm_misses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CTM_NO_CACHE", raising=False)
    fresh, _ = load_rules(deep=False)
    cache.write(fresh)
    assert cache.read(fresh.digest) is not None
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.read(fresh.digest) is None
    cache.write(fresh.__class__(fresh.rules, fresh.catalogue, "99.0", fresh.digest))
    assert cache.read(fresh.digest).version == "99.0"


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CTM_NO_CACHE", raising=False)
    fresh, _ = load_rules(deep=False)
    cache.write(fresh)
    path = next((tmp_path / "ctm").glob("ruleset-*.json"))
    path.write_text("{not json")
    assert cache.read(fresh.digest) is None
