"""Bank translations: every shipped bank loads in every language whose file exists, with each
question, anchor and placeholder; a broken translation file is refused with a clear error; the
translated bank has the English bank's structure and scores exactly like it."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, run_cli, yaml_dump, yaml_load
from workbook_helpers.bank import Bank, load_bank, write_parsed_banks
from workbook_helpers.bank import load as bank_load
from workbook_helpers.bank import served as bank_served
from workbook_helpers.bank.translations import apply as translation_apply
from workbook_helpers.bank.translations import available_languages, translation_path
from workbook_helpers.exceptions import BankError

TEMPLATES = ROOT / "templates"
BANKS = {"question_bank": TEMPLATES / "question_bank.yaml",
         "health_check_bank": TEMPLATES / "health_check_bank.yaml"}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _files() -> list[tuple[str, str]]:
    """(bank name, language) for every translation file in templates/, found by its name."""
    out = []
    for name, path in BANKS.items():
        for f in sorted(TEMPLATES.glob(f"{path.stem}.*.yaml")):
            out.append((name, f.name[len(path.stem) + 1:-len(".yaml")]))
    return out


TRANSLATIONS = _files()


def _clear_caches() -> None:
    bank_load.load_cached.cache_clear()
    bank_served.parsed_by_serve.cache_clear()
    translation_apply._CACHE.clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts without parsed banks from another test (and leaves none behind)."""
    _clear_caches()
    yield
    _clear_caches()


def _raw(path: Path) -> Any:
    return yaml_load(path.read_text(encoding="utf-8"))


# ---- every bank in every language ---------------------------------------------------------------
def test_english_and_german_exist_for_both_banks():
    for name in BANKS:
        assert (name, "de") in TRANSLATIONS, name
        langs = available_languages(BANKS[name])
        assert langs["en"] == "English" and langs["de"] == "Deutsch", langs
        assert next(iter(langs)) == "en"
        # every file found by name is offered, and nothing else
        assert set(langs) == {"en"} | {lang for n, lang in TRANSLATIONS if n == name}


def _texts(q: Any) -> list[tuple[str, str | None]]:
    return [("text", q.text), ("short", q.short), ("help", q.help), ("next_step", q.next_step),
            ("weight_note", q.weight_note)]


@pytest.mark.parametrize(("name", "lang"), TRANSLATIONS)
def test_bank_loads_in_language_with_every_question_anchor_and_placeholder(name, lang):
    english = load_bank(BANKS[name])
    translated = load_bank(BANKS[name], lang=lang)
    file = _raw(translation_path(BANKS[name], lang))
    assert translated.bank.language == lang
    assert translated.bank.title == file["bank"]["title"] != english.bank.title
    assert [q.id for q in translated.iter_ordered()] == [q.id for q in english.iter_ordered()]
    for q in english.questions:
        t = translated.question_map[q.id]
        given_ = file["questions"][q.id]
        for key, en_text in _texts(q):
            tx = getattr(t, key)
            assert (tx is None) == (en_text is None), (q.id, key)
            if en_text is not None:
                assert tx == given_[key], (q.id, key)
                assert set(PLACEHOLDER.findall(tx)) == set(PLACEHOLDER.findall(en_text))
        assert sorted(t.scale.anchors) == sorted(q.scale.anchors) == q.scale.points
        for point in q.scale.points:
            assert t.scale.anchors[point] == given_["anchors"][point], (q.id, point)
            assert set(PLACEHOLDER.findall(t.scale.anchors[point])) == \
                set(PLACEHOLDER.findall(q.scale.anchors[point]))
    for lst in english.lists:
        assert translated.list_map[lst.id].title == file["lists"][lst.id]["title"]
    # the translation is applied, not the English kept: nearly every text differs
    same = [q.id for q in english.questions if translated.question_map[q.id].text == q.text]
    assert len(same) <= len(english.questions) // 20, same
    anchors_same = sum(translated.question_map[q.id].scale.anchors[p] == a
                       for q in english.questions for p, a in q.scale.anchors.items())
    assert anchors_same <= sum(len(q.scale.anchors) for q in english.questions) // 20


@pytest.mark.parametrize(("name", "lang"), TRANSLATIONS)
def test_inherited_sections_come_from_the_inherited_banks_translation(name, lang):
    translated = load_bank(BANKS[name], lang=lang)
    parent = _raw(translation_path(BANKS["question_bank"], lang))
    english = load_bank(BANKS[name])
    for prof in translated.forms.profiles:
        given_ = parent["forms"]["profiles"][prof.id]
        assert prof.summary == given_["summary"]
        assert prof.next_steps == given_["next_steps"]
    for item in translated.readiness.items:
        assert item.label == parent["readiness"]["items"][item.id]["label"]
    assert translated.readiness.trust is not None
    assert translated.readiness.trust.step == parent["readiness"]["trust"]["step"]
    # role words of the language are added to the English ones of the same level
    extra = {int(k): v for k, v in (parent.get("role_levels") or {}).items()}
    for en, tr in zip(english.role_levels, translated.role_levels, strict=True):
        assert tr.level == en.level
        assert tr.words[:len(en.words)] == en.words
        assert set(tr.words) == set(en.words) | set(extra.get(en.level, []))


def _skeleton(bank: Bank) -> Any:
    """The bank with every translatable text blanked: what must not change in translation."""
    data = bank.model_dump(exclude={"path"})
    data["bank"].pop("title"), data["bank"].pop("language")
    for lst in data["lists"]:
        for key in ("title", "description", "next_step"):
            lst[key] = bool(lst[key])
    for q in data["questions"]:
        for key in ("text", "short", "help", "next_step", "weight_note"):
            q[key] = bool(q[key])
        q["scale"]["anchors"] = sorted(q["scale"]["anchors"])
    for p in data["forms"]["profiles"]:
        p["summary"], p["next_steps"] = None, len(p["next_steps"])
    r = data["readiness"]
    for item in r["items"]:
        item["label"], item["step"] = None, None
    for key in ("sponsor_match", "hobby", "trust"):
        if r[key] is not None:
            r[key]["step"] = None
    data["role_levels"] = [rl["level"] for rl in data["role_levels"]]
    return data


@pytest.mark.parametrize(("name", "lang"), TRANSLATIONS)
def test_translated_bank_has_the_same_ids_scales_weights_and_structure(name, lang):
    english = load_bank(BANKS[name])
    translated = load_bank(BANKS[name], lang=lang)
    assert _skeleton(translated) == _skeleton(english)
    # the prose the facilitator reads about the method stays as the bank writes it
    assert translated.thresholds == english.thresholds
    assert translated.sources == english.sources
    assert translated.forms.provisional == english.forms.provisional


def test_own_language_and_none_give_the_bank_itself():
    english = load_bank(BANKS["question_bank"])
    assert load_bank(BANKS["question_bank"], lang=None) is english
    assert load_bank(BANKS["question_bank"], lang="en") is english
    assert load_bank(BANKS["question_bank"], lang="EN") is english


def test_a_regional_tag_falls_back_to_its_language():
    de = load_bank(BANKS["question_bank"], lang="de")
    assert load_bank(BANKS["question_bank"], lang="de-AT") is de
    assert load_bank(BANKS["question_bank"], lang="de_CH") is de
    assert load_bank(BANKS["question_bank"], lang="en-GB") is load_bank(BANKS["question_bank"])


def test_unknown_language_names_the_available_ones():
    with pytest.raises(BankError) as err:
        load_bank(BANKS["question_bank"], lang="xx")
    text = str(err.value)
    assert "'xx'" in text and "question_bank.xx.yaml" in text
    for tag, name in available_languages(BANKS["question_bank"]).items():
        assert f"{tag} ({name})" in text
    with pytest.raises(BankError, match="not a language tag"):
        load_bank(BANKS["question_bank"], lang="../etc")


# ---- broken translation files ---------------------------------------------------------------
@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    """Both shipped banks and their German translations, copied into a folder with a space."""
    folder = tmp_path / "my banks"
    folder.mkdir()
    for path in BANKS.values():
        shutil.copy(path, folder / path.name)
        shutil.copy(translation_path(path, "de"), folder / translation_path(path, "de").name)
    return folder


def _rewrite(path: Path, change) -> None:
    data = _raw(path)
    change(data)
    path.write_text(yaml_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(bank_file: Path, lang: str = "de") -> str:
    with pytest.raises(BankError) as err:
        load_bank(bank_file, lang=lang)
    return str(err.value)


def _del(*keys):
    def change(d):
        for k in keys[:-1]:
            d = d[k]
        del d[keys[-1]]
    return change


def _set(value, *keys):
    def change(d):
        for k in keys[:-1]:
            d = d[k]
        d[keys[-1]] = value
    return change


BROKEN = {
    "missing question": (_del("questions", "sf-goal-alignment"),
                         ["questions.sf-goal-alignment: the question is missing",
                          "Fix: add the translation of question 'sf-goal-alignment'",
                          "How well do our goals"]),
    "missing anchor": (_del("questions", "risk-exit", "anchors", 4),
                       ["questions.risk-exit.anchors: anchor 4 is missing",
                        "Fix: add the translation of anchor 4", "We would agree exit terms"]),
    "extra anchor": (_set("Noch ein Punkt.", "questions", "risk-exit", "anchors", 6),
                     ["questions.risk-exit.anchors: anchor 6 is not on the question's scale 1-5",
                      "Fix: remove anchor 6"]),
    "unknown question": (_set({"text": "Gibt es nicht?", "anchors": {1: "a"}}, "questions",
                              "sf-no-such-question"),
                         ["questions.sf-no-such-question: the bank has no question",
                          "Fix: remove it, or check the id"]),
    "unknown list": (_set({"title": "Gibt es nicht"}, "lists", "no_such_list"),
                     ["lists.no_such_list: the bank has no list", "Fix: remove it"]),
    "missing help": (_del("questions", "pri-urgency", "help"),
                     ["questions.pri-urgency.help: the translation is missing",
                      "Fix: add 'help' with the translation of"]),
    "short the bank lacks": (_set("Kurz", "questions", "pri-rank", "short"),
                             ["questions.pri-rank.short: question 'pri-rank' has no 'short'",
                              "Fix: remove 'short'"]),
    "wrong bank_version": (_set("2.0.0", "translation", "bank_version"),
                           ["translation.bank_version: the file translates version 2.0.0 but "
                            "the bank is version 3.0.0", "Fix: bring the texts up to date"]),
    "wrong bank id": (_set("another-bank", "translation", "bank"),
                      ["translation.bank: 'another-bank' is not the bank's id",
                       "Fix: write 'bank: alliance-readiness'"]),
    "wrong language": (_set("fr", "translation", "language"),
                       ["translation.language: 'fr' does not match the file name's language "
                        "'de'", "Fix: write 'language: de'"]),
    "unknown key": (_set("Text", "questions", "sf-learning", "txet"),
                    ["questions.sf-learning: unknown key 'txet'",
                     "Fix: remove it or check its spelling"]),
    "unknown section": (_set({}, "glossary"),
                        ["Unknown section 'glossary'", "Fix: remove it"]),
    "empty anchor": (_set("  ", "questions", "sf-learning", "anchors", 2),
                     ["questions.sf-learning.anchors.2: the text is empty",
                      "Fix: write the translation"]),
    "anchor not a point": (_set("x", "questions", "sf-learning", "anchors", "two"),
                           ["questions.sf-learning.anchors.two",
                            "an anchor's key must be a scale point"]),
    "next steps miscounted": (lambda d: d["forms"]["profiles"]["licensing"]["next_steps"].pop(),
                              ["forms.profiles.licensing.next_steps: 3 step(s) where the bank "
                               "has 4", "Fix: translate every step"]),
    "missing readiness item": (_del("readiness", "items", "committed-budget"),
                               ["readiness.items.committed-budget: the readiness item is missing",
                                "Fix: add the translation"]),
    "unknown role level": (_set(["oberhaupt"], "role_levels", 9),
                           ["role_levels.9: the bank has no role level 9", "Fix: use one of"]),
    "placeholder added": (_set("Wie gut passt das zu {partner}?", "questions",
                               "sf-goal-alignment", "text"),
                          ["questions.sf-goal-alignment.text: the placeholder(s) {partner} are "
                           "not in the bank's text", "Fix: remove {partner}"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_translation_is_refused_naming_file_question_and_fix(bank_dir, case):
    change, expected = BROKEN[case]
    de = bank_dir / "question_bank.de.yaml"
    _rewrite(de, change)
    text = _problems(bank_dir / "question_bank.yaml")
    assert text.startswith(str(de) + ": "), text
    for part in expected:
        assert part in text, (part, text)


def test_lost_placeholder_is_refused(bank_dir):
    # the shipped banks have no placeholder yet; the check is for the ones to come
    _rewrite(bank_dir / "question_bank.yaml", lambda d: d["questions"][0].__setitem__(
        "text", d["questions"][0]["text"] + " ({partner})"))
    text = _problems(bank_dir / "question_bank.yaml")
    qid = _raw(bank_dir / "question_bank.yaml")["questions"][0]["id"]
    assert f"questions.{qid}.text: the placeholder(s) {{partner}} of the bank's text are " \
           "missing" in text
    assert "Fix: write {partner} into the translation, unchanged." in text


def test_every_problem_is_reported_at_once(bank_dir):
    def change(d):
        del d["questions"]["sf-learning"]
        d["translation"]["bank_version"] = "9.9.9"
        del d["questions"]["risk-exit"]["anchors"][1]
    _rewrite(bank_dir / "question_bank.de.yaml", change)
    text = _problems(bank_dir / "question_bank.yaml")
    assert len(text.splitlines()) == 3
    assert "sf-learning" in text and "9.9.9" in text and "anchor 1 is missing" in text


def test_a_key_given_twice_is_refused_with_its_row(bank_dir):
    de = bank_dir / "question_bank.de.yaml"
    lines = de.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  sf-unique-outcomes:"))
    lines[at] = "  sf-strategy-link:\n"
    de.write_text("".join(lines), encoding="utf-8")
    text = _problems(bank_dir / "question_bank.yaml")
    assert f"{de}, row {at + 1}: " in text and "'sf-strategy-link' appears twice" in text


def test_broken_yaml_and_missing_file_name_the_file(bank_dir):
    de = bank_dir / "question_bank.de.yaml"
    de.write_text("translation: [unclosed\n", encoding="utf-8")
    assert str(de) in _problems(bank_dir / "question_bank.yaml")
    de.write_text("- just\n- a list\n", encoding="utf-8")
    assert "does not hold a YAML mapping" in _problems(bank_dir / "question_bank.yaml")


def test_inheriting_bank_needs_the_inherited_banks_translation(bank_dir):
    (bank_dir / "question_bank.de.yaml").unlink()
    text = _problems(bank_dir / "health_check_bank.yaml")
    assert str(bank_dir / "health_check_bank.de.yaml") in text
    assert "question_bank.de.yaml" in text and "inherits" in text


def test_inheriting_banks_translation_may_not_carry_what_it_inherits(bank_dir):
    parent = _raw(bank_dir / "question_bank.de.yaml")
    _rewrite(bank_dir / "health_check_bank.de.yaml",
             lambda d: d.__setitem__("forms", parent["forms"]))
    text = _problems(bank_dir / "health_check_bank.yaml")
    assert "forms: the bank does not define 'forms' itself (it inherits them from " \
           "question_bank.yaml)" in text
    assert "Fix: remove the section" in text


def test_an_invalid_bank_is_reported_before_its_translation(bank_dir):
    _rewrite(bank_dir / "question_bank.yaml", lambda d: d["bank"].__setitem__("id", "Not A Slug"))
    text = _problems(bank_dir / "question_bank.yaml")
    assert text.startswith(str(bank_dir / "question_bank.yaml") + ": ")


# ---- caches -------------------------------------------------------------------------------
def test_translated_bank_is_cached_until_a_file_changes(bank_dir):
    qb = bank_dir / "question_bank.yaml"
    first = load_bank(qb, lang="de")
    assert load_bank(qb, lang="de") is first
    de = bank_dir / "question_bank.de.yaml"
    _rewrite(de, lambda d: d["bank"].__setitem__("title", "Neuer Titel"))
    st_ = de.stat()
    os.utime(de, (st_.st_atime, st_.st_mtime + 5))
    assert load_bank(qb, lang="de").bank.title == "Neuer Titel"
    # the health check takes forms from question_bank.de.yaml: editing that file counts too
    hc = load_bank(bank_dir / "health_check_bank.yaml", lang="de")
    _rewrite(de, lambda d: d["forms"]["profiles"]["licensing"].__setitem__("summary", "Neu."))
    os.utime(de, (st_.st_atime, st_.st_mtime + 10))
    again = load_bank(bank_dir / "health_check_bank.yaml", lang="de")
    assert again is not hc and again.forms.profile("licensing").summary == "Neu."


def test_serve_cache_keeps_translations_keyed_by_language(bank_dir, tmp_path, monkeypatch):
    qb = (bank_dir / "question_bank.yaml").resolve()
    hc = (bank_dir / "health_check_bank.yaml").resolve()
    cache = tmp_path / "banks.pickle"
    assert write_parsed_banks([qb, hc], cache) == 2
    with cache.open("rb") as fh:
        banks = pickle.load(fh)
    for path in (qb, hc):
        stamp, de = banks[(str(path), "lang:de")]
        assert de.bank.language == "de"
        assert str(translation_path(path, "de")) in {p for p, _ in stamp}
    # mark the German bank in the file, so that a load that reads it can be told apart
    stamp, de = banks[(str(qb), "lang:de")]
    banks[(str(qb), "lang:de")] = (stamp, de.model_copy(
        update={"bank": de.bank.model_copy(update={"title": "aus dem Cache"})}))
    with cache.open("wb") as fh:
        pickle.dump(banks, fh)
    monkeypatch.setenv("WORKBOOK_BANK_CACHE", str(cache))
    _clear_caches()  # as in a fresh kernel started by serve
    assert load_bank(qb, lang="de").bank.title == "aus dem Cache"
    # an edited translation is parsed again, whatever the cache holds
    translation_apply._CACHE.clear()
    de_file = translation_path(qb, "de")
    st_ = de_file.stat()
    os.utime(de_file, (st_.st_atime, st_.st_mtime + 5))
    assert load_bank(qb, lang="de").bank.title == _raw(de_file)["bank"]["title"]


# ---- the command line ---------------------------------------------------------------------
def _structure(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        r = dict(r)
        r["text"], r["help"] = bool(r["text"]), bool(r["help"])
        r["scale"] = {**r["scale"], "anchors": list(r["scale"]["anchors"])}
        out.append(r)
    return out


@pytest.mark.parametrize("name", sorted(BANKS))
def test_questions_json_in_german_matches_english_structure(name):
    en = run_cli("--bank", name, "questions", "--format", "json")
    de = run_cli("--bank", name, "questions", "--lang", "de", "--format", "json")
    assert en.code == 0 and de.code == 0, de.err
    en_rows, de_rows = json.loads(en.out), json.loads(de.out)
    assert _structure(de_rows) == _structure(en_rows)
    file = _raw(translation_path(BANKS[name], "de"))["questions"]
    for e, d in zip(en_rows, de_rows, strict=True):
        assert d["text"] == file[d["id"]]["text"] != e["text"]
        assert d["help"] == file[d["id"]]["help"] != e["help"]
        assert d["scale"]["anchors"] == {str(k): v for k, v in file[d["id"]]["anchors"].items()}
        assert d["scale"]["anchors"] != e["scale"]["anchors"]


def test_questions_table_in_german_shows_german_text():
    res = run_cli("questions", "--lang", "de")
    assert res.code == 0, res.err
    title = _raw(translation_path(BANKS["question_bank"], "de"))["bank"]["title"]
    assert title in res.out and "Strategische Passung" in res.out
    assert "Strategic fit" not in res.out


def test_questions_with_unknown_language_exits_2_naming_the_languages():
    res = run_cli("questions", "--lang", "xx", "--format", "json")
    assert res.code == 2
    assert res.out == ""
    assert "'xx'" in res.err and "en (English)" in res.err and "de (Deutsch)" in res.err
    assert "Traceback" not in res.err


# ---- scoring --------------------------------------------------------------------------------
PEOPLE = [("h1", "host", "CEO"), ("h2", "host", "Alliance manager"),
          ("p1", "partner", "COO"), ("p2", "partner", "VP Alliances")]


def _frame(rows):
    import pandas as pd

    side = {p: s for p, s, _ in PEOPLE}
    role = {p: r for p, _, r in PEOPLE}
    return pd.DataFrame([{
        "engagement": "e1", "respondent": r, "side": side[r], "role": role[r],
        "question_id": q, "value": v, "dont_know": v is None, "comment": ""}
        for r, q, v in rows]).astype({"value": "Int64"})


def _no_prose(value: Any) -> Any:
    """A score result with every text replaced by a marker: numbers, ids, verdicts, flag
    kinds, sides and the length of every list stay (they are lower-case slugs)."""
    if isinstance(value, dict):
        return {k: _no_prose(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_prose(v) for v in value]
    if isinstance(value, str) and not re.fullmatch(r"[a-z0-9_.:-]*", value):
        return "<text>"
    return value


@pytest.mark.parametrize(("name", "lang"), TRANSLATIONS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large])
@given(data=st.data())
def test_translated_bank_scores_exactly_like_the_english_one(name, lang, data):
    from workbook_helpers.scoring import score_engagement

    english = load_bank(BANKS[name])
    translated = load_bank(BANKS[name], lang=lang)
    rows = []
    for person, _, _ in PEOPLE:
        for q in english.questions:
            v = data.draw(st.one_of(st.none(), st.integers(q.scale.min, q.scale.max)),
                          label=f"{person}/{q.id}")
            rows.append((person, q.id, v))
    assume(sum(v is not None for _, _, v in rows) >= len(rows) // 2)
    a = score_engagement(_frame(rows), english, "e1").to_dict()
    b = score_engagement(_frame(rows), translated, "e1").to_dict()
    assert _no_prose(b) == _no_prose(a)
