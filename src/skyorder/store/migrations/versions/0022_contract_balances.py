"""Each contract's balance per account as a row kept by triggers on the ledger.

A balance used to be a SUM over all of a contract's entries, read inside every order's
write transaction: its cost grew with every order. Triggers on ``ledger_entries`` keep
``contract_balances`` equal to those sums for every writer (the services, bulk SQL, a
future importer), in the same transaction as the entries; the ledger stays the record.

Revision ID: 0022
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None

_ADD = (
    "INSERT INTO contract_balances (contract_id, account, amount) "
    "VALUES (NEW.contract_id, NEW.account, NEW.amount) "
    "ON CONFLICT (contract_id, account) DO UPDATE "
    "SET amount = contract_balances.amount + excluded.amount"
)
_SUBTRACT = (
    "UPDATE contract_balances SET amount = amount - OLD.amount "
    "WHERE contract_id = OLD.contract_id AND account = OLD.account"
)

_POSTGRES = f"""
CREATE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_SUBTRACT};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_ADD};
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_balance AFTER INSERT OR DELETE OR UPDATE OF contract_id, account,
    amount ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_balance();
"""

_SQLITE = (
    f"CREATE TRIGGER ledger_entries_balance_insert AFTER INSERT ON ledger_entries "
    f"BEGIN {_ADD}; END",
    f"CREATE TRIGGER ledger_entries_balance_delete AFTER DELETE ON ledger_entries "
    f"BEGIN {_SUBTRACT}; END",
    f"CREATE TRIGGER ledger_entries_balance_update AFTER UPDATE OF contract_id, account, amount "
    f"ON ledger_entries BEGIN {_SUBTRACT}; {_ADD}; END",
)


def upgrade() -> None:
    op.create_table(
        "contract_balances",
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.id"), nullable=False),
        sa.Column("account", sa.String(20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", "account"),
    )
    op.execute(
        "INSERT INTO contract_balances (contract_id, account, amount) "
        "SELECT contract_id, account, sum(amount) FROM ledger_entries "
        "GROUP BY contract_id, account"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES)
    else:
        for statement in _SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_balance ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_balance()")
    else:
        for kind in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER ledger_entries_balance_{kind}")
    op.drop_table("contract_balances")
