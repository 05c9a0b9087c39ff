"""SQLAlchemy wiring: declarative base, UTC timestamps, and one session per app context.

The request commits once (see ``Database.init_app``); services only flush.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g
from flask.globals import _cv_app, _cv_request
import enum

from sqlalchemy import DateTime, Enum, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite has no time zones, so both backends agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.database.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def db_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Enums stored as strings with a CHECK constraint: the same on SQLite and PostgreSQL."""
    return Enum(enum_class, name=name, native_enum=False, length=32,
                values_callable=lambda members: [member.value for member in members],
                create_constraint=True, validate_strings=True)


def make_engine(url: str, timeout_seconds: int = 30) -> Engine:
    """``timeout_seconds`` bounds how long a request waits for the database: after it the
    request fails (and gets the 503 page) instead of hanging until the worker is killed."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeout_seconds})
        _make_sqlite_transactional(engine, timeout_seconds)
        return engine
    connect_args = {"connect_timeout": timeout_seconds} if "+psycopg" in url.split("://")[0] else {}
    # pre_ping: a connection the server dropped is replaced at checkout, so the portal
    # recovers by itself after a database restart.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


#: Execution option of a session's connection whose transaction only reads (see SQLite below):
#: ``session.connection(execution_options={READ_ONLY: True})`` before its first query.
READ_ONLY = "portal_read_only"


def _make_sqlite_transactional(engine: Engine, timeout_seconds: int = 30) -> None:
    # pysqlite's own BEGIN handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
    # IMMEDIATE takes the write lock at the start: two processes then queue up (busy_timeout)
    # instead of one failing with "database is locked" when its read turns into a write.
    # SQLite serialises writers anyway; PostgreSQL is the database for concurrent use.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A long read that writes nothing (a worker's warm-up) begins DEFERRED: in WAL mode it
        # then reads beside the writers instead of holding the write lock for its whole length.
        reading = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _context_id() -> int:
    # One session per request; outside a request (CLI, tests' own queries) one per app context.
    return id(_cv_request.get(None) or _cv_app.get())


class PortalSession(Session):
    """A session that runs ``after_commit_hooks`` once a commit has succeeded and the session can
    talk to the database again (SQLAlchemy's own ``after_commit`` event cannot): the change
    announcements of ``portal.changes`` are sent from here."""

    after_commit_hooks: list = []

    def commit(self) -> None:
        super().commit()
        for hook in self.after_commit_hooks:
            hook(self)


class Database:
    """Flask extension owning the engine and a session per application context."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            self._new_session, scopefunc=_context_id
        )

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], app.config.get("DATABASE_TIMEOUT_SECONDS", 30))
        app.extensions["portal.db"] = {"engine": engine, "bind": engine}

        @app.after_request
        def commit_request(response: Response) -> Response:
            # One commit per request, and only when the request succeeded and may change state.
            if self.session.registry.has():
                if response.status_code < 400 and not g.get("portal_commit_forbidden"):
                    self.session.commit()
                else:
                    self.session.rollback()
            return response

        @app.teardown_request
        @app.teardown_appcontext
        def remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    @staticmethod
    def forbid_commit() -> None:
        """Nothing this request changed may be stored (e.g. its CSRF token was bad)."""
        g.portal_commit_forbidden = True

    @staticmethod
    def engine(app: Flask | None = None) -> Engine:
        return (app or current_app).extensions["portal.db"]["engine"]

    @staticmethod
    def bind_to(app: Flask, bind: Engine | Connection) -> None:
        """Tests bind every session to one outer transaction that they roll back."""
        app.extensions["portal.db"]["bind"] = bind

    @staticmethod
    def _new_session() -> Session:
        bind = current_app.extensions["portal.db"]["bind"]
        return PortalSession(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")
