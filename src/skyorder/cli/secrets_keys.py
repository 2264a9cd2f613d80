"""``skyorder admin rotate-secrets-key``: seal every stored secret with a new key."""

from __future__ import annotations

import json

import typer

from skyorder.cli.options import DataDir, DbUrl, err, fail_keys, load_settings, open_runtime
from skyorder.datadir import SECRETS_KEY_FILE, SECRETS_KEYS_SETTING, add_key, prepare_data_dir
from skyorder.store.sealing import SecretKeysUnusable


def rotate_secrets_key(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Add a new first key to secrets.key and seal every stored secret with it.

    The older keys stay in the file, so what they sealed still opens; run it with the
    server stopped (every process sharing the database loads the keys at start). With
    SKYORDER_SECRETS_KEYS set, nothing is added: put the new key first in the setting and
    run this to seal every stored secret with it. Running it again is harmless.
    """
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    if settings.secrets_keys is None:
        prepare_data_dir(settings)
        try:
            keyring = add_key(settings.data_dir / SECRETS_KEY_FILE)
        except SecretKeysUnusable as exc:
            fail_keys(exc)
        err.print(f"added key {keyring.primary_id} first in {keyring.source}")
    else:
        err.print(f"{SECRETS_KEYS_SETTING} is set: sealing with its first key")
    runtime = open_runtime(settings)  # start-up seals what the last sweep did not
    try:
        with runtime.uow() as uow:
            done = uow.sealed_secrets.sweep(force=True)
            uow.commit()
    finally:
        runtime.close()
    typer.echo(json.dumps({"key_id": done.key_id, "stored_secrets": done.stored}))
