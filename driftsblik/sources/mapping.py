"""Reading the mapping files: one YAML file per source, in the municipality's own repository.

The file's name (without .yaml) is the source's name (`driftsblik sources fetch statbank-folk1a`);
its `source:` picks the connector, whose mapping model checks the rest. A file that is not valid
is reported with the key and the reason, and is never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from pydantic import ValidationError

from driftsblik.sources.connectors import CONNECTORS
from driftsblik.sources.connectors.base import Connector, SourceMapping

EXAMPLES = Path(__file__).resolve().parent / "mappings"


class MappingError(Exception):
    """A mapping file that cannot be used, with every reason found."""

    def __init__(self, path: Path, reasons: list[str]) -> None:
        self.path = path
        self.reasons = reasons
        super().__init__(f"{path.name}: " + "; ".join(reasons))


@dataclass(frozen=True)
class Source:
    """A configured source: its name, its mapping file and the connector that reads it."""

    name: str
    path: Path
    mapping: SourceMapping
    connector: type[Connector]

    def build(self) -> Connector:
        return self.connector(self.mapping)


def load_mapping(path: Path) -> Source:
    """The source a mapping file describes, or MappingError naming what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(path, [f"cannot be read: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise MappingError(path, [f"is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise MappingError(path, ["is not a mapping of keys to values"])
    kind = data.get("source")
    connector = CONNECTORS.get(kind) if isinstance(kind, str) else None
    if connector is None:
        known = ", ".join(sorted(CONNECTORS))
        raise MappingError(path, [f"source: {kind!r} is not a known connector (one of {known})"])
    try:
        mapping = connector.mapping_class.model_validate(data)
    except ValidationError as exc:
        reasons = [f"{'.'.join(str(p) for p in error['loc']) or '(file)'}: {error['msg']}" for error in exc.errors()]
        raise MappingError(path, reasons) from None
    return Source(path.stem, path, mapping, connector)


def mapping_files(directory: str | Path | None = None) -> list[Path]:
    """The mapping files of the configured folder (DRIFTSBLIK_SOURCES_DIR), by name."""
    configured = str(directory if directory is not None else settings.SOURCES_DIR)
    if not configured:
        return []
    folder = Path(configured)
    if not folder.is_dir():
        raise MappingError(folder, [f"the sources folder {folder} does not exist (DRIFTSBLIK_SOURCES_DIR)"])
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def configured_sources(directory: str | Path | None = None) -> list[Source | MappingError]:
    """Every mapping file of the folder: the source it describes, or why it cannot be used."""
    found: list[Source | MappingError] = []
    for path in mapping_files(directory):
        try:
            found.append(load_mapping(path))
        except MappingError as exc:
            found.append(exc)
    return found


def source_named(name: str, directory: str | Path | None = None) -> Source:
    """The configured source called `name` (its file name without .yaml)."""
    for path in mapping_files(directory):
        if path.stem == name:
            return load_mapping(path)
    names = ", ".join(p.stem for p in mapping_files(directory)) or "none: set DRIFTSBLIK_SOURCES_DIR"
    raise MappingError(Path(f"{name}.yaml"), [f"no source called {name!r} (configured: {names})"])
