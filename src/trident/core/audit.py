"""The audit trail: who changed what, when, from where, for every write.

A writing request starts an :class:`AuditRecord` on its session; the app's auth
dependency fills in who is calling.  Session events then collect every row the
transaction inserts, updates or deletes (an update lists the columns it changed,
never their values: the trail must not become a copy of the personal data it
guards), and just before the commit one audit row is added *in the same
transaction*.  So the trail and the change commit or vanish together, and a
refused request leaves no entry because it changed nothing.

Models opt out with ``__audit__ = False`` (refresh tokens, the trail itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Delete, Index, Integer, String, Update, event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime

AUDIT_KEY = "trident.audit"
MAX_ENTRIES = 200


class AuditLogMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    actor_type: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    tenant_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    method: Mapped[str] = mapped_column(String(8), nullable=False)
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    action: Mapped[str] = mapped_column(String(200), nullable=False)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)

    __audit__ = False

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_tenant_id_created_at", "tenant_id", "created_at"),
            Index(f"ix_{name}_actor_id_created_at", "actor_id", "created_at"),
        )


@dataclass
class AuditRecord:
    """What one writing request did; becomes one row of ``model`` at commit."""

    model: type[Any]
    method: str
    path: str
    ip_address: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    action: str = ""
    actor_type: str = "anonymous"
    actor_id: int | None = None
    actor_email: str | None = None
    tenant_id: int | None = None
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    bulk: list[str] = field(default_factory=list)

    def identify(
        self,
        actor_type: str,
        actor_id: int | None = None,
        actor_email: str | None = None,
        tenant_id: int | None = None,
    ) -> None:
        self.actor_type = actor_type
        self.actor_id = actor_id
        self.actor_email = actor_email
        if tenant_id is not None:
            self.tenant_id = tenant_id

    @property
    def empty(self) -> bool:
        return not (self.created or self.updated or self.deleted or self.bulk)

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.created:
            out["created"] = self.created[:MAX_ENTRIES]
        if self.updated:
            out["updated"] = dict(list(self.updated.items())[:MAX_ENTRIES])
        if self.deleted:
            out["deleted"] = self.deleted[:MAX_ENTRIES]
        if self.bulk:
            out["bulk"] = self.bulk[:MAX_ENTRIES]
        return out


def start_audit(session: AsyncSession, record: AuditRecord) -> None:
    session.info[AUDIT_KEY] = record


def current_audit(session: AsyncSession) -> AuditRecord | None:
    record: AuditRecord | None = session.info.get(AUDIT_KEY)
    return record


def _audited(obj: Any) -> bool:
    return getattr(type(obj), "__audit__", True)


def _ref(obj: Any) -> str:
    # primary keys are assigned by now; the identity key is set only after the flush
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return f"{type(obj).__tablename__}:{','.join(str(part) for part in key)}"


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _flush_context: Any) -> None:
    record: AuditRecord | None = session.info.get(AUDIT_KEY)
    if record is None:
        return
    for obj in session.new:
        if _audited(obj):
            record.created.append(_ref(obj))
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        changed = [a.key for a in state.attrs if a.history.has_changes()]
        if changed:
            fields = record.updated.setdefault(_ref(obj), [])
            fields.extend(name for name in changed if name not in fields)
    for obj in session.deleted:
        if _audited(obj):
            record.deleted.append(_ref(obj))


@event.listens_for(Session, "do_orm_execute")
def _collect_bulk(state: ORMExecuteState) -> None:
    record: AuditRecord | None = state.session.info.get(AUDIT_KEY)
    if record is None or not isinstance(state.statement, Update | Delete):
        return
    table = state.statement.table
    name = getattr(table, "name", str(table))
    entry = f"{'update' if isinstance(state.statement, Update) else 'delete'}:{name}"
    if entry not in record.bulk and name != record.model.__tablename__:
        record.bulk.append(entry)


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    # releasing a savepoint fires this too; only the outermost commit writes the record
    if AUDIT_KEY not in session.info or session.in_nested_transaction():
        return
    # commit flushes after this hook: flush now so the record sees every change
    session.flush()
    record: AuditRecord | None = session.info.get(AUDIT_KEY)
    if record is None or record.empty:
        # nothing changed yet: a request that ends a read-only transaction early (a
        # login, before hashing) keeps its record for the commit that writes
        return
    del session.info[AUDIT_KEY]
    session.add(
        record.model(
            actor_type=record.actor_type,
            actor_id=record.actor_id,
            actor_email=record.actor_email,
            tenant_id=record.tenant_id,
            method=record.method,
            path=record.path[:500],
            action=(record.action or f"{record.method} {record.path}")[:200],
            changes=record.changes(),
            ip_address=record.ip_address,
            user_agent=(record.user_agent or "")[:255] or None,
            request_id=record.request_id,
        )
    )
