"""The check-in bench's own PostgreSQL database (no Django here: it is created before Django starts).

The server and credentials of DATABASE_URL when it is a PostgreSQL URL, else
plato:plato@127.0.0.1:5432; always in a database of the bench's own, `plato_bench_checkin`,
created fresh (dropped first if a failed run left it) and dropped at the end, so that the
bench never touches the database DATABASE_URL names (in CI it is the test suite's).
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

DATABASE = "plato_bench_checkin"
DEFAULT_SERVER = "postgres://plato:plato@127.0.0.1:5432/postgres"


def server_url() -> str:
    """The PostgreSQL server (and credentials) to use: DATABASE_URL's when it is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    return url if scheme in {"postgres", "postgresql", "pgsql", "psql"} else DEFAULT_SERVER


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgres", path="/" + name))


def admin_connection(url: str):
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        connect_timeout=5,
        autocommit=True,
    )


def recreate_database(url: str) -> None:
    """A fresh bench database, or exit 2 with how to start PostgreSQL."""
    parts = urlsplit(url)
    where = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"
    try:
        with admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    except psycopg.OperationalError as error:
        print(
            f"bench/checkin.py: PostgreSQL is not reachable at {where} as {parts.username!r}:\n"
            f"  {str(error).strip()}\n"
            "This bench needs PostgreSQL. Start it, e.g.:\n"
            "  pg_ctlcluster 15 main start          (Debian; `pg_lsclusters` lists the clusters)\n"
            "or run `.ci/run` once (installs and starts PostgreSQL, creates the role plato/plato),\n"
            "or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/ANY to a server where USER may "
            "create databases.",
            file=sys.stderr,
        )
        sys.exit(2)
    except psycopg.Error as error:
        print(
            f"bench/checkin.py: cannot create the database {DATABASE!r} on {where}: {str(error).strip()}\n"
            f"The role {parts.username!r} needs CREATEDB (ALTER ROLE {parts.username} CREATEDB).",
            file=sys.stderr,
        )
        sys.exit(2)


def drop_database(url: str) -> None:
    try:
        with admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    except psycopg.Error as error:
        print(f"bench/checkin.py: could not drop {DATABASE!r}: {error}", file=sys.stderr)


SERVER = server_url()
BENCH_URL = with_database(SERVER, DATABASE)
