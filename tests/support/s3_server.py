"""A real S3-compatible server on 127.0.0.1 for the object-storage lake tests.

moto's server mode (`moto[server]`, requirements-dev.txt) in a process of its
own, with signatures checked: an IAM user and its access key are made while
moto still lets anyone in, then every request must be signed with that key
(`/moto-api/reset-auth`), so a wrong secret is refused as by AWS or MinIO.

One answer is made as AWS makes it (`_aws_multipart_answer`): moto names
the root of CompleteMultipartUpload's answer ...Response where S3 says
...Result, and DuckDB's httpfs refuses it ("Unexpected response during S3
multipart upload finalization: 200"), so every file large enough for a
multipart upload (a lake's Parquet file of a few million rows) failed.

Clients reach it through `Switch`, a TCP relay on a port of its own that a
test can turn off (listener closed, open connections cut: the object
server is unreachable) and on again on the same port, while moto keeps
what it holds.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import boto3
import requests

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Switch:
    """A TCP relay 127.0.0.1:port → upstream that can be switched off and on."""

    def __init__(self, upstream_port: int):
        self.upstream = ("127.0.0.1", upstream_port)
        self.port = _free_port()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.on()

    def on(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def off(self) -> None:
        """Refuse new connections and cut the open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    @contextlib.contextmanager
    def unreachable(self) -> Iterator[None]:
        self.off()
        try:
            yield
        finally:
            self.on()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # switched off
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with self._lock:
                    self._open.discard(sock)


class S3Server:
    """moto in server mode behind a Switch; `key_id`/`secret` are a real access key of it."""

    def __init__(self):
        self.moto_port = _free_port()
        self.process = subprocess.Popen([sys.executable, __file__, str(self.moto_port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        direct = f"http://127.0.0.1:{self.moto_port}"
        try:
            self._wait(direct)
            iam = self._client("iam", direct, "bootstrap", "bootstrap")
            iam.create_user(UserName="nps")
            iam.put_user_policy(UserName="nps", PolicyName="lake", PolicyDocument=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="nps")["AccessKey"]
            self.key_id, self.secret = key["AccessKeyId"], key["SecretAccessKey"]
            requests.post(f"{direct}/moto-api/reset-auth", data=b"0", timeout=10).raise_for_status()
        except BaseException:
            self.close()
            raise
        self.switch = Switch(self.moto_port)
        self.endpoint = f"http://127.0.0.1:{self.switch.port}"
        self._buckets = 0

    @staticmethod
    def _wait(url: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/moto-api/", timeout=2)
                return
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)

    @staticmethod
    def _client(service: str, url: str, key_id: str, secret: str):
        return boto3.client(service, endpoint_url=url, aws_access_key_id=key_id,
                            aws_secret_access_key=secret, region_name=REGION)

    def s3(self):
        """A boto3 S3 client with the real key (directly to moto: it works while the switch is off)."""
        return self._client("s3", f"http://127.0.0.1:{self.moto_port}", self.key_id, self.secret)

    def new_bucket(self) -> str:
        self._buckets += 1
        name = f"lake-{self._buckets}"
        self.s3().create_bucket(Bucket=name)
        return name

    def objects(self, bucket: str) -> list[str]:
        pages = self.s3().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]

    def close(self) -> None:
        if getattr(self, "switch", None):
            self.switch.off()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _aws_multipart_answer() -> None:
    """Patch moto (in its own server process) to name CompleteMultipartUpload's answer as S3 does."""
    from moto.core.serialize import S3Serializer

    made = S3Serializer._serialized_result_to_response

    def as_aws(self, resp, *args, **kwargs):
        resp = made(self, resp, *args, **kwargs)
        if self.operation_model.name == "CompleteMultipartUpload":
            body, moto_name, aws_name = resp["body"], "CompleteMultipartUploadResponse", "CompleteMultipartUploadResult"
            resp["body"] = (body.replace(moto_name.encode(), aws_name.encode()) if isinstance(body, bytes)
                            else body.replace(moto_name, aws_name))
        return resp

    S3Serializer._serialized_result_to_response = as_aws


if __name__ == "__main__":  # the server process: moto on 127.0.0.1:PORT
    from moto.server import main

    _aws_multipart_answer()
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
