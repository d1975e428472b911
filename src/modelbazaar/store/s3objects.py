"""Content-addressed objects in any S3-compatible bucket (AWS S3, MinIO, R2, Ceph) via boto3.

The same interface as `ObjectStore` (has, put_bytes, put_file, get_bytes, put_verified_file,
size, iter_chunks, digests), so the catalogue and the hub do not care where bytes live. Only
the public S3 API is used: HeadObject, PutObject, GetObject, ListObjectsV2 and the multipart
upload calls (through boto3's transfer manager).

An object is visible only once verified: its bytes are hashed locally before the upload starts,
the upload carries a SHA-256 checksum that S3 checks on arrival (per part for multipart), and
S3 makes a key visible only when its PutObject / CompleteMultipartUpload succeeds — so a reader
never sees half an object, and a crash mid-upload leaves at most an incomplete multipart upload
(which a bucket lifecycle rule aborts), never a wrong object. Reads re-hash.

Example: S3ObjectStore("s3://models/hub", endpoint_url="http://127.0.0.1:9000", staging=tmp)
stores object "8f43…" at key "hub/8f/43…".
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
from boto3.s3.transfer import TransferConfig

from modelbazaar.errors import StoreError
from modelbazaar.store.objects import CHUNK, check_digest, sha256_bytes, sha256_file

MiB = 1 << 20
# Parts of 8 MiB: S3's minimum part is 5 MiB; 8 MiB keeps a 100 MB version at 13 parts.
TRANSFER = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=8 * MiB)


def parse_s3_url(url: str) -> tuple[str, str]:
    """ "s3://bucket/some/prefix" -> ("bucket", "some/prefix"); StoreError for anything else."""
    if not url.startswith("s3://") or not url[5:].split("/", 1)[0]:
        raise StoreError(f"{url!r} is not an s3://bucket[/prefix] URL")
    bucket, _, prefix = url[5:].partition("/")
    return bucket, prefix.strip("/")


def s3_client(endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client; credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID …).

    With an endpoint (MinIO, Ceph, a local test server) path-style addressing is used, which
    every S3-compatible server understands.
    """
    config = botocore.config.Config(
        s3={"addressing_style": "path"} if endpoint_url else {},
        retries={"max_attempts": 5, "mode": "standard"},
    )
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=session.region_name or "us-east-1",
        config=config,
    )


def _checksum(digest: str) -> str:
    """S3's ChecksumSHA256 header: the base64 of the raw 32 bytes."""
    return base64.b64encode(bytes.fromhex(digest)).decode("ascii")


class S3ObjectStore:
    """Blobs at `s3://bucket/prefix/xx/yyyy…`, named by their sha256."""

    def __init__(
        self, url: str, *, staging: Path, endpoint_url: str | None = None, client: Any = None
    ) -> None:
        self.url = url
        self.bucket, self.prefix = parse_s3_url(url)
        self.client = client or s3_client(endpoint_url)
        self.staging = Path(staging)  # local temp files of uploads being received

    def __repr__(self) -> str:
        return f"S3ObjectStore({self.url!r})"

    @property
    def incoming(self) -> Path:
        return self.staging

    def key_of(self, digest: str) -> str:
        check_digest(digest)
        name = f"{digest[:2]}/{digest[2:]}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def size(self, digest: str) -> int | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key_of(digest))
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StoreError(f"S3 {self.url}: cannot read {digest[:12]} ({exc})") from None
        return int(head["ContentLength"])

    def has(self, digest: str) -> bool:
        return self.size(digest) is not None

    def put_bytes(self, data: bytes) -> str:
        digest = sha256_bytes(data)
        if not self.has(digest):  # content-addressed: an existing object is already right
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key_of(digest),
                Body=data,
                ChecksumSHA256=_checksum(digest),  # S3 refuses the PUT if the bytes differ
            )
        return digest

    def put_file(self, source: Path) -> str:
        return self.put_bytes(Path(source).read_bytes())

    def put_verified_file(self, source: Path, digest: str, *, hashed: bool = False) -> None:
        """Upload the local file `source` as object `digest` after re-hashing it (multipart
        above 8 MiB, each part checksummed by S3); `source` is deleted either way."""
        try:
            # `hashed`: the caller wrote `source` itself and hashed those bytes as it wrote them
            actual = digest if hashed else sha256_file(source)
            if actual != digest:
                raise StoreError(
                    f"received bytes hash to {actual[:12]}, not to {digest[:12]}; nothing stored"
                )
            if not self.has(digest):
                self.client.upload_file(
                    str(source),
                    self.bucket,
                    self.key_of(digest),
                    ExtraArgs={"ChecksumAlgorithm": "SHA256"},
                    Config=TRANSFER,
                )
                if self.size(digest) != Path(source).stat().st_size:
                    raise StoreError(f"S3 {self.url}: object {digest[:12]} arrived truncated")
        finally:
            Path(source).unlink(missing_ok=True)

    def _body(self, digest: str) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key_of(digest))["Body"]
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise StoreError(f"object {digest[:12]} is missing from {self.url}") from None
            raise StoreError(f"S3 {self.url}: cannot read {digest[:12]} ({exc})") from None

    def get_bytes(self, digest: str) -> bytes:
        buffer = io.BytesIO()
        for chunk in self.iter_chunks(digest):
            buffer.write(chunk)
        return buffer.getvalue()

    def iter_chunks(self, digest: str) -> Iterator[bytes]:
        """Chunks of the object, re-hashed: a corrupt object raises before its last chunk."""
        body = self._body(digest)
        hasher = hashlib.sha256()
        previous = b""
        try:
            for chunk in body.iter_chunks(CHUNK):
                if previous:
                    yield previous
                hasher.update(chunk)
                previous = chunk
            if hasher.hexdigest() != digest:
                raise StoreError(
                    f"object {digest[:12]} in {self.url} is corrupt (its bytes no longer hash "
                    "to its name); delete it and push the version again"
                )
            if previous:
                yield previous
        finally:
            body.close()

    def digests(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        start = f"{self.prefix}/" if self.prefix else ""
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                name = item["Key"][len(start) :].replace("/", "")
                if len(name) == 64:
                    yield name
