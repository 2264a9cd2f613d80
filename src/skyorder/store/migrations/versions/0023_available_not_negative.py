"""A contract's available balance can never go below zero: a CHECK on its balance row.

The ledger's triggers keep ``contract_balances`` (migration 0022); this constraint makes
the database refuse any ledger insert that would take a contract's available balance below
zero, in the statement that tries, whoever writes (a placement racing another on
PostgreSQL, bulk SQL, a future importer). Placements on PostgreSQL rely on it instead of
locking the balance before their holds (``LedgerRepository.add_within_balance``).

The triggers now update a balance row and insert it only when it is missing: an upsert
(``INSERT … ON CONFLICT DO UPDATE``) checks the constraint against the row it proposes,
the entry's own amount, so every hold (a negative amount for ``available``) would fail.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Callable

from alembic import op
from alembic.operations import BatchOperations

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

NAME = "ck_contract_balances_available_not_negative"
CONDITION = "account <> 'available' OR amount >= 0"

_MATCH = "contract_id = {row}.contract_id AND account = {row}.account"
_SUBTRACT = "UPDATE contract_balances SET amount = amount - OLD.amount WHERE " + _MATCH.format(
    row="OLD"
)
_ADD_UPSERT = (
    "INSERT INTO contract_balances (contract_id, account, amount) "
    "VALUES (NEW.contract_id, NEW.account, NEW.amount) "
    "ON CONFLICT (contract_id, account) DO UPDATE "
    "SET amount = contract_balances.amount + excluded.amount"
)
_ADD_UPDATE = "UPDATE contract_balances SET amount = amount + NEW.amount WHERE " + _MATCH.format(
    row="NEW"
)


def _postgres_function(add: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_SUBTRACT};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {add}
    END IF;
    RETURN NULL;
END $$;
"""


# Update the row; only a missing one is inserted (a concurrent first insert of the same row
# is still met by the upsert, which then checks the entry's own amount).
_POSTGRES_ADD = (
    f"{_ADD_UPDATE};\n        IF NOT FOUND THEN\n            {_ADD_UPSERT};\n        END IF;"
)

# SQLite's writers take turns: nothing can insert the row between the two statements.
_SQLITE_ADD = (
    f"{_ADD_UPDATE}; INSERT INTO contract_balances (contract_id, account, amount) "
    "SELECT NEW.contract_id, NEW.account, NEW.amount WHERE NOT EXISTS "
    f"(SELECT 1 FROM contract_balances WHERE {_MATCH.format(row='NEW')})"
)


def _sqlite_triggers(add: str) -> None:
    for kind in ("insert", "update"):
        op.execute(f"DROP TRIGGER ledger_entries_balance_{kind}")
    op.execute(
        f"CREATE TRIGGER ledger_entries_balance_insert AFTER INSERT ON ledger_entries "
        f"BEGIN {add}; END"
    )
    op.execute(
        "CREATE TRIGGER ledger_entries_balance_update AFTER UPDATE OF contract_id, account, "
        f"amount ON ledger_entries BEGIN {_SUBTRACT}; {add}; END"
    )


def _batch(change: Callable[[BatchOperations], None]) -> None:
    """Run ``change`` on the table. SQLite cannot add a constraint to a table: batch mode
    copies it into a new one and renames that back; the triggers on ``ledger_entries`` that
    name the table would make SQLite refuse the rename, unless it renames the legacy way
    (which leaves them as they are: the name is the same again afterwards)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA legacy_alter_table=ON")
    with op.batch_alter_table("contract_balances") as batch:
        change(batch)
    if sqlite:
        op.execute("PRAGMA legacy_alter_table=OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postgres_function(_POSTGRES_ADD))
    else:
        _sqlite_triggers(_SQLITE_ADD)
    _batch(lambda batch: batch.create_check_constraint(NAME, CONDITION))


def downgrade() -> None:
    _batch(lambda batch: batch.drop_constraint(NAME, type_="check"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postgres_function(f"{_ADD_UPSERT};"))
    else:
        _sqlite_triggers(_ADD_UPSERT)
