"""Reading sync state: the status check, pages of changes per scope, a record's history.
Every read is filtered by the principal's scopes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from fieldcheck.protocol.changes import Change, ChangesPage, ConflictState, RecordHistory
from fieldcheck.protocol.changes import RecordVersion as RecordVersionPublic
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.status import ScopeStatus, SyncStatus
from sync_server.admin.models import Scope
from sync_server.auth.principal import Principal
from sync_server.errors import ApiError
from sync_server.ledger import chain
from sync_server.ledger.keys import Signer
from sync_server.state import server_epoch
from sync_server.sync import policy
from sync_server.sync.models import ChangeLog, Record, RecordVersion, ScopeHead
from sync_server.timeutil import as_utc, utcnow

MAX_PAGE = 1000


def readable_scopes(session: Session, principal: Principal) -> list[Scope]:
    query = select(Scope).order_by(col(Scope.code))
    if not (principal.is_admin or principal.all_scopes):
        query = query.where(col(Scope.id).in_(principal.scope_ids))
    return list(session.exec(query).all())


def status(
    session: Session, principal: Principal, signer: Signer, ledger_seen_header: str | None
) -> SyncStatus:
    """One small answer, independent of the archive's size: per-scope highest change number,
    the latest signed checkpoint and how the client's last-seen checkpoint compares."""
    scopes = readable_scopes(session, principal)
    heads = {
        h.scope_id: h.max_seq
        for h in session.exec(
            select(ScopeHead).where(col(ScopeHead.scope_id).in_([s.id for s in scopes]))
        ).all()
    }
    latest = chain.latest_checkpoint(session)
    checkpoint = chain.public_checkpoint(latest, signer.origin) if latest else None
    return SyncStatus(
        server_epoch=server_epoch(session),
        server_time=utcnow(),
        scopes={
            s.id: ScopeStatus(code=s.code, name=s.name, max_seq=heads.get(s.id, 0)) for s in scopes
        },
        checkpoint=checkpoint,
        ledger_seen=chain.ledger_seen(session, ledger_seen_header),
        token_expires_at=principal.expires_at,
    )


def _require_scope(session: Session, principal: Principal, scope_id: str) -> None:
    if session.get(Scope, scope_id) is None and principal.is_admin:
        raise ApiError(404, "unknown_scope", f"no sub-district {scope_id!r}")
    refusal = policy.check_scope(principal, scope_id)
    if refusal:
        raise ApiError(403, refusal.code, refusal.message)


def changes(
    session: Session, principal: Principal, scope_id: str, since: int, limit: int
) -> ChangesPage:
    """Heads of records changed after ``since`` in one scope, by change number; a record
    changed several times appears once, at its latest change."""
    _require_scope(session, principal, scope_id)
    rows = session.exec(
        select(ChangeLog, Record)
        .join(
            Record,
            (col(Record.entity) == col(ChangeLog.entity))
            & (col(Record.id) == col(ChangeLog.record_id))
            & (col(Record.updated_seq) == col(ChangeLog.seq)),
        )
        .where(ChangeLog.scope_id == scope_id, col(ChangeLog.seq) > since)
        .order_by(col(ChangeLog.seq))
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    found = [
        Change(
            seq=log.seq,
            entity=Entity(rec.entity),
            id=rec.id,
            rev=rec.head_rev,
            scope_id=rec.scope_id,
            conflict_state=ConflictState(rec.conflict_state),
            data=rec.data,
        )
        for log, rec in page
    ]
    return ChangesPage(
        scope_id=scope_id,
        changes=found,
        last_seq=found[-1].seq if found else since,
        has_more=len(rows) > limit,
    )


def history(
    session: Session, principal: Principal, entity: Entity, record_id: str
) -> RecordHistory:
    """Every version of a record, candidates included, for the conflict view; a record
    outside the principal's scopes is 404 like one that does not exist."""
    record = session.get(Record, (entity.value, record_id))
    if record is None or policy.check_scope(principal, record.scope_id):
        # Out of scope is answered as not there: neither its existence nor its id leaks.
        raise ApiError(404, "unknown_record", f"no {entity.value} {record_id}")
    versions = session.exec(
        select(RecordVersion)
        .where(RecordVersion.entity == entity.value, RecordVersion.record_id == record_id)
        .order_by(col(RecordVersion.rev))
    ).all()
    return RecordHistory(
        entity=entity,
        id=record_id,
        head_rev=record.head_rev,
        conflict_state=ConflictState(record.conflict_state),
        versions=[
            RecordVersionPublic(
                rev=v.rev,
                base_rev=v.base_rev,
                data=v.data,
                changed=v.changed,
                is_head=v.rev == record.head_rev,
                is_candidate=v.is_candidate,
                author=v.author,
                device_id=v.device_id,
                op_id=v.op_id,
                seq=v.seq,
                ledger_idx=v.ledger_idx,
                server_ts=as_utc(v.server_ts),
            )
            for v in versions
        ],
    )
