"""Where the shipped classifier artifacts live and what their description says (no torch needed).

The weights themselves are read by `models.heads`; the bot's ONNX Runtime path needs only these
names, the metadata and the lexical models, so it never imports torch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
WEIGHTS_FILE = "tuned_top.safetensors"
META_FILE = "tuned_top.json"
ARTIFACT_FORMAT = 2


def lexical_file(task: str) -> str:
    return f"lexical_{task}.npz"


class ArtifactError(RuntimeError):
    """The shipped artifacts are missing or do not fit the base encoder."""


def artifacts_present(path: Path | None = None) -> bool:
    path = path or ARTIFACTS_DIR
    return (path / WEIGHTS_FILE).is_file() and (path / META_FILE).is_file()


def read_meta(path: Path | None = None) -> dict[str, Any]:
    path = path or ARTIFACTS_DIR
    if not artifacts_present(path):
        raise ArtifactError(f"no shipped classifier artifacts in {path}")
    meta: dict[str, Any] = json.loads((path / META_FILE).read_text())
    if meta.get("format") != ARTIFACT_FORMAT:
        raise ArtifactError(f"{path / META_FILE}: unsupported artifact format {meta.get('format')}")
    return meta
