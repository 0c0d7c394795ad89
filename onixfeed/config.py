"""Read the project's onixfeed.toml: sender, message defaults, schema and profile paths."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from onixfeed.findings import InputError

CONFIG_NAME = "onixfeed.toml"
ENV_VAR = "ONIXFEED_CONFIG"

_KNOWN = {
    "sender": {"name", "contact", "email", "identifiers"},
    "defaults": {"language", "currency", "price_type"},
    "schemas": {"path"},
    "profiles": {"path"},
    "export": {"records", "out", "state"},
}


@dataclass(frozen=True)
class SenderIdentifier:
    type: str  # ONIX list 44 code, e.g. "06" (GLN)
    value: str
    type_name: str | None = None


@dataclass(frozen=True)
class Config:
    """Project settings; every field has a working default so a bare folder still exports."""

    path: Path | None = None
    sender_name: str = "onixfeed"
    sender_contact: str | None = None
    sender_email: str | None = None
    sender_identifiers: tuple[SenderIdentifier, ...] = ()
    default_language: str | None = None
    default_currency: str | None = None
    default_price_type: str | None = None
    schemas_path: str | None = None
    profiles_path: str | None = None
    records: str = "records"
    out: str = "feeds"
    state: str = ".onixfeed"
    raw: dict = field(default_factory=dict)

    def resolve(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        base = self.path.parent if self.path else Path.cwd()
        return (base / value).resolve() if not Path(value).is_absolute() else Path(value)


def find_config(start: Path | None = None) -> Path | None:
    """onixfeed.toml named by ONIXFEED_CONFIG, else in the current folder or a parent."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
    return None


def load_config(path: Path | None = None) -> Config:
    """Load and check onixfeed.toml; an unknown key or wrong type raises InputError naming it."""
    path = path or find_config()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read config: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    for section, value in data.items():
        if section not in _KNOWN:
            raise InputError(f"{path}: unknown section [{section}]; expected one of {sorted(_KNOWN)}")
        if not isinstance(value, dict):
            raise InputError(f"{path}: [{section}] must be a table")
        for key in value:
            if key not in _KNOWN[section]:
                raise InputError(f"{path}: unknown key {section}.{key}; expected one of {sorted(_KNOWN[section])}")
    sender = data.get("sender", {})
    identifiers = []
    for index, item in enumerate(sender.get("identifiers", [])):
        if not isinstance(item, dict) or "type" not in item or "value" not in item:
            raise InputError(f"{path}: sender.identifiers[{index}] needs 'type' (list 44) and 'value'")
        identifiers.append(SenderIdentifier(str(item["type"]), str(item["value"]), item.get("type_name")))
    defaults = data.get("defaults", {})
    export = data.get("export", {})
    return Config(
        path=Path(path),
        sender_name=str(sender.get("name", "onixfeed")),
        sender_contact=sender.get("contact"),
        sender_email=sender.get("email"),
        sender_identifiers=tuple(identifiers),
        default_language=defaults.get("language"),
        default_currency=defaults.get("currency"),
        default_price_type=defaults.get("price_type"),
        schemas_path=_relative(path, data.get("schemas", {}).get("path")),
        profiles_path=_relative(path, data.get("profiles", {}).get("path")),
        records=export.get("records", "records"),
        out=export.get("out", "feeds"),
        state=export.get("state", ".onixfeed"),
        raw=data,
    )


def _relative(config_path: Path, value: str | None) -> str | None:
    if not value:
        return None
    candidate = Path(value).expanduser()
    return str(candidate if candidate.is_absolute() else Path(config_path).parent / candidate)
