"""Where this machine's dev data lives (the dev signing key, the code key, DynamoDB Local's
files): `--data-dir`, else $KADO_HOME, else the `.kado` of the project the command runs in,
found from any folder inside it. So `kado token` signs with the key `kado dev` verifies,
wherever either is run from."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "KADO_HOME"
FOLDER = ".kado"


def data_dir(explicit: Path | None = None, start: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / FOLDER).is_dir():
            return folder / FOLDER
        if (folder / "template.yaml").is_file() and (folder / "pyproject.toml").is_file():
            return folder / FOLDER  # the project's root: its .kado, made on first use
    return here / FOLDER
