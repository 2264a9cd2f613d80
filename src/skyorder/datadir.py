"""The data directory: owner-only, and the secret files in it created mode 0600.

The directory holds the embedded database, the keys (link signing, tokens, sealing of
stored secrets) and the demo credentials: anyone who can read it can act as the platform.
It is created mode 0700 and its files 0600; at each start an existing directory or file
that others could read is tightened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from skyorder.settings import Settings
from skyorder.store.sealing import Keyring, SecretKeysUnusable, check_key, new_key

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SECRETS_KEY_FILE = "secrets.key"
SECRETS_KEYS_SETTING = "SKYORDER_SECRETS_KEYS"
KNOWN_FILES = ("signing-secret", "jwt-secret", SECRETS_KEY_FILE, "demo-credentials.json")
"""Files the platform writes in the data directory that must stay owner-only."""
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def prepare_data_dir(settings: Settings) -> None:
    """Create the data directory (0700) and the SQLite file (0600); tighten what exists.

    The SQLite file is created empty before SQLite opens it, so it is never readable by
    others, not even for a moment; SQLite gives its ``-wal`` and ``-shm`` files the
    database file's mode.
    """
    data_dir = settings.data_dir
    data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    tighten(data_dir, PRIVATE_DIR)
    for name in KNOWN_FILES:
        tighten(data_dir / name, PRIVATE_FILE)
    database = sqlite_file(settings.database())
    if database is not None:
        _create_private(database)
        for suffix in _SQLITE_SIDE_FILES:
            tighten(database.with_name(database.name + suffix), PRIVATE_FILE)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (``None`` for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def tighten(path: Path, mode: int) -> None:
    """Take away what group and others may do with ``path`` (if it exists)."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & 0o077:
        path.chmod(current & mode)


def _create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (or its folder does not)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except (FileExistsError, FileNotFoundError):  # SQLite says why a missing folder fails
        return
    os.close(fd)


def write_private(path: Path, text: str) -> None:
    """Write a whole file that only its owner may read (atomically: others never see half)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(tmp, path)


def secret_file(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in ``path``, made by ``make`` and saved (0600) on first use.

    The file appears whole (written aside, then linked in place), and two processes
    starting at once agree on one secret: only the first link succeeds.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        write_private(tmp, make() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def load_keyring(settings: Settings) -> tuple[Keyring, bool]:
    """The sealing keys from ``SKYORDER_SECRETS_KEYS`` or ``<data dir>/secrets.key``.

    The file is created with one new key on first start. Returns the keyring and whether
    the file was created just now (the caller removes it if the database turns out to
    hold secrets sealed with another key).

    Raises:
        SecretKeysUnusable: a key in the file is malformed (the message names the file).
    """
    if settings.secrets_keys is not None:
        keys = settings.secrets_keys.get_secret_value().split(",")
        return Keyring(tuple(check_key(k) for k in keys if k.strip()), SECRETS_KEYS_SETTING), False
    path = settings.data_dir / SECRETS_KEY_FILE
    existed = path.exists()
    secret_file(path, lambda: new_key().decode())
    return Keyring(_file_keys(path), str(path)), not existed


def add_key(path: Path) -> Keyring:
    """Put a new key first in a key file (the older ones stay to open what they sealed)."""
    keys = (new_key(), *_file_keys(path)) if path.exists() else (new_key(),)
    write_private(path, "".join(k.decode() + "\n" for k in keys))
    return Keyring(keys, str(path))


def _file_keys(path: Path) -> tuple[bytes, ...]:
    keys = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            keys.append(check_key(line))
        except ValueError as exc:
            raise SecretKeysUnusable(f"{path} line {number}: {exc}") from None
    return tuple(keys)
