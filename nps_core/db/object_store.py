"""A lake's data files on object storage: `data_path=s3://bucket/prefix/`.

DuckDB reads and writes them through its httpfs extension (installed from
its PyPI package like the others, db/extensions.py) with a DuckDB secret
that every connection attaching the lake creates first, scoped to the data
path. The secret is filled from the store spec's `s3_…` options:

    s3_key_id=env:VAR s3_secret=env:VAR [s3_session_token=env:VAR]
    [s3_region=eu-west-1] [s3_endpoint=http://minio.internal:9000] [s3_url_style=path|vhost]

The credentials are `env:` / `secret:` references only (db/lake.py resolves
them): a key written into the spec would be logged wherever the spec is.
An endpoint serves every S3-compatible service (MinIO, Ceph, GCS's and
Azure gateways' S3 mode); its scheme says whether TLS is used, and it
defaults to path-style URLs, which those services take (AWS, without an
endpoint, keeps DuckDB's virtual-host style).

What the object storage answers when it refuses or is away reaches the user
through `reworded`: one line saying which (credentials, bucket, unreachable),
with every credential scrubbed from it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb

from nps_core.db.errors import StoreError
from nps_core.db.extensions import load

SCHEME = "s3://"
# spec option -> the DuckDB S3 secret's parameter
PARAMETERS = {"s3_key_id": "KEY_ID", "s3_secret": "SECRET", "s3_session_token": "SESSION_TOKEN",
              "s3_region": "REGION", "s3_endpoint": "ENDPOINT", "s3_url_style": "URL_STYLE"}
CREDENTIALS = ("s3_key_id", "s3_secret", "s3_session_token")
URL_STYLES = ("path", "vhost")


class ObjectStorageError(StoreError):
    """The object storage refused a request or could not be reached; nothing was saved."""


@dataclass(frozen=True)
class ObjectStorage:
    """Where a lake's files live in object storage, and the secret that opens it."""

    data_path: str
    options: dict[str, str] = field(repr=False)  # spec option -> resolved value (credentials included)

    @property
    def bucket(self) -> str:
        return self.data_path[len(SCHEME):].split("/", 1)[0]

    @property
    def secret_name(self) -> str:
        # one secret per data path: a migrate between two lakes holds both
        return "nps_lake_" + re.sub(r"\W", "_", self.data_path[len(SCHEME):])

    def credentials(self) -> list[str]:
        return [self.options[k] for k in CREDENTIALS if self.options.get(k)]


def is_object_path(data_path: str) -> bool:
    return data_path.startswith(SCHEME)


def from_spec(data_path: str, options: dict[str, str]) -> ObjectStorage | None:
    """The object storage of a lake whose spec gave `data_path` and the
    `s3_…` `options` (resolved); None for a folder. A ValueError says what is wrong."""
    if not is_object_path(data_path):
        if options:
            raise ValueError(f"{', '.join(sorted(options))} apply only to data_path=s3://BUCKET/PREFIX/")
        return None
    if not data_path[len(SCHEME):].split("/", 1)[0]:
        raise ValueError("data_path=s3://BUCKET/PREFIX/ needs a bucket name")
    unknown = set(options) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"unknown object-storage option {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(PARAMETERS)})")
    missing = [k for k in ("s3_key_id", "s3_secret") if not options.get(k)]
    if missing:
        raise ValueError(f"data_path=s3://… needs {' and '.join(k + '=env:VAR' for k in missing)} "
                         "(or secret:NAME.FIELD): the object storage's credentials")
    if options.get("s3_url_style", "path") not in URL_STYLES:
        raise ValueError(f"s3_url_style is {' or '.join(URL_STYLES)}")
    return ObjectStorage(data_path, dict(options))


def secret_parameters(storage: ObjectStorage) -> dict[str, object]:
    """The DuckDB S3 secret's parameters: the options, the endpoint split
    into host and TLS, path-style URLs for an endpoint unless told otherwise."""
    params: dict[str, object] = {PARAMETERS[k]: v for k, v in storage.options.items() if k != "s3_endpoint"}
    endpoint = storage.options.get("s3_endpoint")
    if endpoint:
        scheme, sep, host = endpoint.partition("://")
        params["ENDPOINT"] = host.rstrip("/") if sep else endpoint.rstrip("/")
        params["USE_SSL"] = not (sep and scheme.lower() == "http")
        params.setdefault("URL_STYLE", "path")
    params.setdefault("REGION", "us-east-1")
    params["SCOPE"] = storage.data_path
    return params


def open_storage(con: duckdb.DuckDBPyConnection, storage: ObjectStorage) -> None:
    """Load httpfs and create the lake's secret in `con` (in memory only: a
    temporary secret is never written to DuckDB's secret folder)."""
    load(con, "httpfs")
    params = secret_parameters(storage)
    # values are bound parameters; only the names (ours) are in the text
    listed = ", ".join(f"{name} ?" for name in params)
    with reworded(storage):
        con.execute(f"CREATE OR REPLACE TEMPORARY SECRET {storage.secret_name} (TYPE s3, {listed})",
                    list(params.values()))


def explain(exc: BaseException, storage: ObjectStorage) -> str | None:
    """One line for the user when `exc` is the object storage's answer (None
    otherwise), with every credential scrubbed."""
    text = str(exc)
    where = f"the object storage at {storage.data_path}"
    if re.search(r"SignatureDoesNotMatch|InvalidAccessKeyId|AccessDenied|ExpiredToken|HTTP code 403|\b403\b", text):
        message = (f"{where} refused the credentials (access denied): check the key and secret "
                   "that s3_key_id and s3_secret refer to, and the key's rights on the bucket")
    elif re.search(r"NoSuchBucket", text):
        message = f"{where}: the bucket {storage.bucket} does not exist"
    elif re.search(r"Could not establish connection|Connection refused|Failed to connect|Timeout|timed out|"
                   r"Could not connect|Could not resolve|HTTP code 50[234]", text, re.IGNORECASE):
        message = (f"{where} cannot be reached; nothing was saved, try again when it is back "
                   f"({first_line(text)})")
    else:
        return None
    return scrub(message, storage)


def first_line(text: str) -> str:
    return " ".join(text.strip().split("\n")[0].split())


def scrub(text: str, storage: ObjectStorage) -> str:
    for value in storage.credentials():
        text = text.replace(value, "***")
    return text


@contextlib.contextmanager
def reworded(storage: ObjectStorage | None) -> Iterator[None]:
    """Turn the object storage's errors inside the block into ObjectStorageError."""
    try:
        yield
    except duckdb.Error as exc:
        message = explain(exc, storage) if storage else None
        if message is None:
            raise
        raise ObjectStorageError(message) from None
