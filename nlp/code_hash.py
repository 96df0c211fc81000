"""A hash of voc's own code, for caches and "nothing new" runs that must be made again when it changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def code_hash(patterns: tuple[str, ...]) -> str:
    """sha256 (hex) of the files matching these globs (relative to the project root), each with its path."""
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
