"""The official schemas: located in onixcheck, pinned by the manifest, user overrides."""

import json
import shutil
import zipfile

import pytest

from onixfeed import codelists, onix, schemas


def test_every_bundled_schema_matches_the_manifest():
    for release in schemas.RELEASES:
        for tags in schemas.TAG_STYLES:
            files = schemas.schema_files(release, tags)
            assert files.pinned and files.main.is_file()


def test_a_changed_file_is_named(tmp_path, monkeypatch):
    manifest = json.loads(schemas.MANIFEST.read_text())
    manifest["files"][0]["sha256"] = "0" * 64
    fake = tmp_path / "manifest.json"
    fake.write_text(json.dumps(manifest))
    monkeypatch.setattr(schemas, "MANIFEST", fake)
    schemas._verified.cache_clear()
    try:
        with pytest.raises(schemas.SchemaError) as caught:
            schemas.schema_files(manifest["files"][0]["release"], "reference")
        assert manifest["files"][0]["path"].split("/")[-1] in str(caught.value)
    finally:
        schemas._verified.cache_clear()


def test_a_user_zip_overrides_the_bundled_release(tmp_path, monkeypatch):
    source = schemas.bundled_root() / "xsd3.0"
    archive = tmp_path / "ONIX_BookProduct_3.0_reference_XSDs+codes_Issue_75.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in source.glob("*.xsd"):
            zipped.write(file, f"ONIX 3.0/{file.name}")
    monkeypatch.setenv(schemas.ENV_VAR, str(archive))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = schemas.schema_files("3.0", "reference")
    assert not files.pinned and files.main.name == "ONIX_BookProduct_3.0_reference.xsd"
    assert schemas.codelist_issue(files.codelists) == 75
    # releases the download does not hold still come from onixcheck
    assert schemas.schema_files("3.1", "reference").pinned


def test_a_user_folder_missing_its_code_lists_is_an_error(tmp_path, monkeypatch):
    shutil.copy(schemas.bundled_root() / "xsd3.0" / "ONIX_BookProduct_3.0_reference.xsd", tmp_path)
    monkeypatch.setenv(schemas.ENV_VAR, str(tmp_path))
    with pytest.raises(schemas.SchemaError):
        schemas.schema_files("3.0", "reference")


def test_a_missing_user_path_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(schemas.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(schemas.SchemaError):
        schemas.schema_files("3.0", "reference")


def test_code_lists_carry_labels_and_deprecations():
    forms = codelists.codelist(150)
    assert forms.name == "Product form" and forms.label("BC") == "Paperback / softback"
    assert codelists.codelist(27).codes["12"].deprecated  # BIC subject category
    assert not codelists.codelist(27).codes["93"].deprecated  # Thema
    assert [code.value for code in forms.closest("BX", 1)] == ["BC"]


def test_elements_know_their_code_list():
    lists = codelists.element_lists("3.0")
    assert lists["ProductForm"] == 150 and lists["ContributorRole"] == 17 and lists["@dateformat"] == 55


@pytest.mark.parametrize(
    "number, value, code",
    [(17, "author", "A01"), (17, "A01", "A01"), (17, "by-author", "A01"), (150, "paperback", "BC"),
     (25, "black-and-white-illustrations", "01"), (150, "Hardback", "BB"), (175, "epub", "E101")],
)
def test_friendly_names_resolve_to_codes(number, value, code):
    assert codelists.resolve(number, value) == code


def test_every_alias_still_means_what_it_was_chosen_for():
    for number, aliases in codelists.ALIASES.items():
        for alias in aliases:
            codelists.resolve(number, alias)  # raises AliasMismatch when a list changed under it


def test_an_unknown_friendly_name_names_the_closest_codes():
    with pytest.raises(codelists.UnknownCode) as caught:
        codelists.resolve(150, "BX")
    assert caught.value.codelist.number == 150
    assert "BC" in str(caught.value)


def test_tag_maps_are_read_from_the_short_schema():
    assert onix.short_to_reference("3.0")["b012"] == "ProductForm"
    assert onix.reference_to_short("3.1")["RecordReference"] == "a001"


def test_flavour_detection():
    assert onix.flavour_of("{http://ns.editeur.org/onix/3.0/short}ONIXmessage", "3.0").tags == "short"
    assert onix.flavour_of("ONIXMessage", "3.1").release == "3.1"
    assert onix.flavour_of("ONIXMessage", None).release == "2.1"
