"""The workbook's Voila application declares its settings as traitlets with help (as Voila
does), fed from the one settings object and handed on to the kernels; the default port is one
constant that the docs agree with."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ROOT
from workbook_helpers import config

OWN = ("facilitator_key", "public_url", "reports_dir", "room", "questionnaire", "idle_minutes",
       "max_visitors")


@pytest.fixture()
def app_class():
    from workbook_helpers.server.voila_app import WorkbookVoila

    return WorkbookVoila


def test_every_setting_is_a_configurable_traitlet_with_help(app_class) -> None:
    traits = app_class.class_own_traits(config=True)
    assert set(OWN) <= set(traits)
    for name in OWN:
        assert len(traits[name].help) > 30, name
    # the words are the settings table's, not a second description
    for s in config.SETTINGS:
        if s.name in OWN:
            assert s.help in traits[s.name].help
            assert s.env in traits[s.name].help


def test_defaults_come_from_the_settings_object(app_class, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(config.FACILITATOR_KEY_ENV, "k3y")
    monkeypatch.setenv(config.PUBLIC_URL_ENV, "https://workshop.example/")
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(config.ROOM_ENV, "12")
    monkeypatch.setenv(config.QUESTIONNAIRE_ENV, "voila")
    app = app_class()
    assert (app.facilitator_key, app.public_url, app.room, app.questionnaire) == (
        "k3y", "https://workshop.example", 12, "voila")
    assert app.reports_dir == str(tmp_path.resolve() / "reports") == str(
        config.settings().reports_dir)


def test_config_wins_and_is_handed_on_to_the_kernels(app_class, monkeypatch) -> None:
    from traitlets.config import Config

    monkeypatch.setattr(os, "environ", os.environ.copy())  # hand_on writes the environment
    monkeypatch.setenv(config.FACILITATOR_KEY_ENV, "from-env")
    monkeypatch.delenv(config.PUBLIC_URL_ENV, raising=False)
    conf = Config()
    conf.WorkbookVoila.public_url = "https://other.example"
    conf.WorkbookVoila.facilitator_key = ""
    conf.WorkbookVoila.idle_minutes = 7.5
    app = app_class(config=conf)
    app.hand_on()
    assert os.environ[config.PUBLIC_URL_ENV] == "https://other.example"
    assert config.FACILITATOR_KEY_ENV not in os.environ  # no key: none handed on
    assert config.settings().idle_minutes == 7.5
    with pytest.raises(Exception, match="questionnaire"):
        conf.WorkbookVoila.questionnaire = "paper"
        app_class(config=conf).questionnaire  # noqa: B018


def test_the_default_port_is_one_constant_the_docs_agree_with() -> None:
    from workbook_helpers.apps.links import DEFAULT_BASE
    from workbook_helpers.apps.params import visitor_url

    assert DEFAULT_BASE.endswith(f":{config.DEFAULT_PORT}")
    assert f":{config.DEFAULT_PORT}/" in visitor_url({})
    said = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for line in doc.read_text(encoding="utf-8").splitlines():
            if "default" in line.lower():  # where the docs say where the apps are served
                said += re.findall(r"127\.0\.0\.1:(\d+)", line)
    assert said, "the docs no longer say where the apps are served"
    assert {int(p) for p in said} == {config.DEFAULT_PORT}
