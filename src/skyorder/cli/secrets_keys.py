"""``skyorder admin rotate-secrets-key``: seal every stored secret with a new key."""

from __future__ import annotations

import json

import typer

from skyorder.cli.options import DataDir, DbUrl, err, load_settings, open_runtime
from skyorder.datadir import SECRETS_KEY_FILE, SECRETS_KEYS_SETTING, add_key


def rotate_secrets_key(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add a new first key to secrets.key and seal every stored secret with it.

    The older keys stay in the file, so what they sealed still opens; run it with the
    server stopped (every process sharing the database loads the keys at start). With
    SKYORDER_SECRETS_KEYS set, nothing is added: put the new key first in the setting and
    run this to seal every stored secret with it. Running it again is harmless.
    """
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    # A first start checks that the keys in force open every stored secret (and seals
    # plain text): no key is added to a keyring that is already broken.
    open_runtime(settings).close()
    if settings.secrets_keys is None:
        keyring = add_key(settings.data_dir / SECRETS_KEY_FILE)
        err.print(f"added key {keyring.primary_id} first in {keyring.source}")
    else:
        err.print(f"{SECRETS_KEYS_SETTING} is set: sealing with its first key")
    runtime = open_runtime(settings)  # start-up seals everything with the new first key
    try:
        with runtime.uow() as uow:
            done = uow.sealed_secrets.sweep(force=True)
            uow.commit()
    finally:
        runtime.close()
    typer.echo(json.dumps({"key_id": done.key_id, "stored_secrets": done.stored}))
