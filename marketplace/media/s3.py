"""Uploaded files in an S3-compatible bucket: the storage of STORAGE=s3 (the interface is in backend.py). boto3 is
loaded only when a bucket is used."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from marketplace.media.backend import Storage, StorageError, check_name, content_type


class S3Storage(Storage):
    """Objects in an S3-compatible bucket (AWS, MinIO, Ceph, Garage...), under an optional key prefix.

    Objects stay private; the app serves them (photos with a year's caching, documents after its own checks).
    Credentials come from boto3's usual places: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment,
    or the machine's role."""

    def __init__(self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None, region: str | None = None):
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket, self.prefix, self.endpoint_url = bucket, prefix.strip("/") + "/" if prefix.strip("/") else "", endpoint_url
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                              s3={"addressing_style": "path"} if endpoint_url else None),
        )

    def key(self, name: str) -> str:
        return self.prefix + check_name(name).as_posix()

    def put(self, name: str, data: bytes) -> bool:
        key = self.key(name)
        try:
            if self._head(key):
                return False
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type(name))
        except self._errors() as error:
            raise StorageError(f"cannot store s3://{self.bucket}/{key}: {error}") from error
        return True

    def get(self, name: str) -> bytes:
        key = self.key(name)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(name) from None

    def exists(self, name: str) -> bool:
        return self._head(self.key(name))

    def _head(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, names: Iterable[str]) -> None:
        keys = [self.key(name) for name in names]
        self._delete_keys(keys)

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # the most one DeleteObjects call takes
            batch = [{"Key": key} for key in keys[start:start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def entries(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        found = []
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                try:
                    check_name(name)
                except ValueError:
                    continue
                found.append((name, item["LastModified"]))
        yield from sorted(found)

    def replace_all(self, folder: Path) -> None:
        """Upload every file of folder (overwriting), then delete the objects it does not have."""
        wanted = set()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                wanted.add(name)
                self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=path.read_bytes(),
                                       ContentType=content_type(name))
        self._delete_keys([self.key(name) for name in self.names() if name not in wanted])

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"bucket s3://{self.bucket}/{self.prefix}{where}"

    def probe(self) -> None:
        """Raise StorageError unless the bucket answers."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors() as error:
            raise StorageError(f"{self.describe()} does not answer: {error}") from error

    @staticmethod
    def _errors() -> tuple[type[Exception], ...]:
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError)
