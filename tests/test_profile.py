"""Profiles: loading, `extends:`, validation errors that name the file and key, provenance."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from onixfeed import profile
from onixfeed.config import load_config
from onixfeed.profile import ProfileError


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project folder whose onixfeed.toml points at its own profiles/ folder."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "onixfeed.toml").write_text('[profiles]\npath = "profiles"\n')
    monkeypatch.setenv("ONIXFEED_CONFIG", str(tmp_path / "onixfeed.toml"))
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str):
        path = tmp_path / "profiles" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


def test_every_built_in_profile_loads_on_the_base():
    for name in ("onix-3.0", "onix-3.1", "google-play-books", "kobo", "booknet-canada", "vlb", "amazon"):
        loaded = profile.load(name)
        assert loaded.chain[-1].stem == "onix-3.0"
        assert loaded.release in ("3.0", "3.1")


def test_every_built_in_requirement_and_recipient_fact_carries_a_source():
    for name, path in profile.available().items():
        loaded = profile.load(name)
        for requirement in loaded.requirements():
            assert requirement.source.strip()
        # facts other than names and versions are cited by a comment beside them
        for key, origin in loaded.origins.items():
            if origin.file == str(path) and key.split(".")[0] in ("header", "notification", "deletion", "scope"):
                assert origin.comment, f"{name}: {key} has no source comment"


def test_the_rules_registry_reads_its_default_severities_through_the_profile_loader():
    from onixfeed.validate import rules

    rules.default_severities.cache_clear()  # read the file as it is now
    assert rules.default_severities() == profile.load("onix-3.0").rule_severities()


def test_a_child_overrides_and_inherits(project):
    project("shop", """
        extends: kobo
        version: "7"
        onix:
          tags: short  # the shop asked for short tags
        batch: {max_products: 10, name: "shop_{seq}.xml"}
        require:
          - {id: one-language, severity: "off"}
    """)
    shop = profile.load("shop")
    assert (shop.release, shop.tags, shop.version) == ("3.0", "short", "7")
    assert shop.section("batch")["compression"] == "none"  # from onix-3.0
    ids = {r.id for r in shop.requirements()}
    assert "gtin-13" in ids and "one-language" not in ids
    rows = {row["key"]: row for row in profile.describe(shop)}
    assert rows["onix.tags"]["file"].endswith("shop.yaml") and rows["onix.tags"]["source"] == "the shop asked for short tags"
    assert rows["onix.release"]["file"].endswith("kobo.yaml")
    assert rows["require[gtin-13]"]["source"].startswith("https://github.com/kobolabs")
    assert rows["deletion.publishing_status"]["file"].endswith("kobo.yaml")
    assert [p.stem for p in shop.chain] == ["shop", "kobo", "onix-3.0"]


def test_a_project_file_overrides_the_built_in_of_its_name(project):
    project("kobo", """
        extends: kobo
        batch: {max_products: 500}
    """)
    kobo = profile.load("kobo")
    assert kobo.section("batch")["max_products"] == 500
    assert len(kobo.requirements()) == len(profile.load(profile.BUILTIN_DIR / "kobo.yaml").requirements())
    assert "kobo" in profile.available(load_config())


@pytest.mark.parametrize("text,key", [
    ("colour: blue\n", "colour"),
    ("onix: {release: '3.0', flavour: x}\n", "onix.flavour"),
    ("onix: {release: '2.1'}\n", "onix.release"),
    ("rules: {ZZ999: error}\n", "rules.ZZ999"),
    ("rules: {ID001: loud}\n", "rules.ID001"),
    ("scope: {product_forms: [EB, QQ]}\n", "scope.product_forms[1]"),
    ("delivery: {transport: carrier-pigeon}\n", "delivery.transport"),
    ("batch: {name: '{sender}.xml'}\n", "batch.name"),
    ("batch: {name: '{sender}_{when}_{seq}.xml'}\n", "batch.name"),
    ("batch: {max_products: 0}\n", "batch.max_products"),
    ("require: [{id: x, path: NoSuchElement, message: m, source: s}]\n", "require[x].path"),
    ("require: [{id: x, path: 'Price[', message: m, source: s}]\n", "require[x].path"),
    ("require: [{id: x, path: ProductForm, message: m}]\n", "require[x]"),
    ("require: [{id: x, path: DescriptiveDetail/ProductForm, codes: [QQ], message: m, source: s}]\n",
     "require[x].codes[0]"),
    ("require: [{id: x, path: ProductForm, count: 'lots', message: m, source: s}]\n", "require[x].count"),
    ("require: [{id: x, path: ProductForm, colour: red, message: m, source: s}]\n", "require[x].colour"),
    ("transforms: {map_codes: [{path: DescriptiveDetail/ProductForm, from: EB, to: XX}]}\n",
     "transforms.map_codes[0].to"),
    ("deletion: {method: publishing-status}\n", "deletion.publishing_status"),
])
def test_a_bad_value_is_an_error_naming_the_file_and_key(project, text, key):
    path = project("broken", text)
    with pytest.raises(ProfileError) as caught:
        profile.load("broken")
    assert str(caught.value).startswith(str(path))
    assert f": {key}:" in str(caught.value)


def test_an_unknown_parent_is_an_error(project):
    path = project("orphan", "extends: no-such-shop\n")
    with pytest.raises(ProfileError) as caught:
        profile.load("orphan")
    assert str(path) in str(caught.value) and "no-such-shop" in str(caught.value)


def test_a_cycle_is_an_error(project):
    project("alpha", "extends: beta\n")
    project("beta", "extends: alpha\n")
    with pytest.raises(ProfileError) as caught:
        profile.load("alpha")
    assert "cycle" in str(caught.value) and "alpha -> beta -> alpha" in str(caught.value)


def test_not_yaml_and_not_a_mapping_are_errors(project):
    project("junk", "onix: [unclosed\n")
    project("list", "- a\n- b\n")
    for name in ("junk", "list"):
        with pytest.raises(ProfileError) as caught:
            profile.load(name)
        assert f"{name}.yaml" in str(caught.value)


def test_an_unknown_name_lists_the_available_profiles():
    with pytest.raises(ProfileError) as caught:
        profile.load("no-such-profile")
    assert "google-play-books" in str(caught.value)


def test_a_profile_file_is_loaded_by_path(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: google-play-books\nonix: {release: '3.1'}\n")
    loaded = profile.load(path)
    assert (loaded.name, loaded.release) == ("mine", "3.1")


def test_load_many_keeps_order_and_drops_repeats():
    assert [p.name for p in profile.load_many("kobo, google-play-books,kobo")] == ["kobo", "google-play-books"]
    with pytest.raises(ProfileError):
        profile.load_many(" , ")


def test_the_readme_example_profile_loads(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme.split("A profile may say:\n\n", 1)[1].split("\n\n", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text("\n".join(line[4:] for line in block.splitlines()))
    loaded = profile.load(path)
    assert (loaded.release, loaded.tags, loaded.version) == ("3.1", "short", "2")
    assert [r.when for r in loaded.requirements() if r.id == "one-language"] == ["DescriptiveDetail/ProductForm = 'ED'"]


def test_header_and_notification_settings_become_requirements_with_their_source():
    implied = {r.id: r for r in profile.load("google-play-books").requirements()}
    assert implied["header-sender-name"].scope == "header" and implied["header-sender-name"].min_count == 1
    assert implied["notification-type"].codes == ("01", "02", "03", "05")
    assert "answer/6374180" in implied["header-sent-date-time"].source
    assert not {"header-sender-name", "notification-type"} & {r.id for r in profile.load("onix-3.0").requirements()}


def test_only_a_comment_on_the_value_line_is_its_source(project):
    project("noted", """
        version: "2"
        # a note about the header, not the version's source
        header:
          sender_name: true  # the recipient's guide, section 2
          sent_date_time: date-time
    """)
    rows = {row["key"]: row["source"] for row in profile.describe(profile.load("noted")) if row["file"].endswith("noted.yaml")}
    assert rows == {"version": None, "header.sender_name": "the recipient's guide, section 2",
                    "header.sent_date_time": None}
