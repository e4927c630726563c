"""Start Circle servers and nginx in front of them on this machine, from deploy/nginx.conf.

Used by the replica tests and the replica load benchmark, so both run the sample
configuration a council would deploy (with test ports and without TLS).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "deploy" / "nginx.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, seconds: float = 60) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{base} did not become healthy within {seconds:.0f} s")


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    ports: list[int] = field(default_factory=list)
    front_port: int = 0
    _procs: list[tuple[subprocess.Popen, IO[str] | None]] = field(default_factory=list)

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    def start_servers(self, count: int) -> None:
        for n in range(count):
            port = free_port()
            log = open(self.folder / f"server-{n}.log", "w")  # noqa: SIM115 - closed in stop()
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "serve.py",
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                ],
                cwd=ROOT,
                env={**self.env, "CIRCLE_SERVER_NAME": chr(ord("a") + n)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            self.ports.append(port)
            self._procs.append((proc, log))
        for base in self.bases:
            wait_healthy(base, 120)

    def nginx_config(self, *, hash_key: str | None = None) -> Path:
        """The sample configuration with this cluster's ports, on loopback, without TLS, with
        its own pid file, logs and temporary folders (nothing of the machine's own nginx)."""
        conf = SAMPLE.read_text()
        if hash_key:
            conf = re.sub(r"hash \$[a-z_]+ consistent;", f"hash {hash_key} consistent;", conf)
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in self.ports)
        conf = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers + "\n", conf, count=1)
        conf = conf.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.front_port};")
        conf = re.sub(r"\n\s*ssl_certificate[^;]*;", "", conf)
        (self.folder / "logs").mkdir(exist_ok=True)
        main = (
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1; pid {self.folder}/nginx.pid; error_log {self.folder}/logs/error.log;\n"
            + "events { worker_connections 1024; }\n"
            + f"http {{ access_log off; client_body_temp_path {self.folder}/body; "
            + f"proxy_temp_path {self.folder}/proxy;\n{conf}\n}}\n"
        )
        path = self.folder / "nginx.conf"
        path.write_text(main)
        return path

    def start_nginx(self, nginx: str, *, hash_key: str | None = None) -> None:
        """nginx in front of the servers, from the sample configuration, on a free port of its
        own. Only this process is ever stopped (`stop`): never the machine's own nginx."""
        self.front_port = free_port()
        path = self.nginx_config(hash_key=hash_key)
        proc = subprocess.Popen(
            [nginx, "-c", str(path), "-p", str(self.folder), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
            text=True,
        )
        self._procs.append((proc, None))
        wait_healthy(self.front, 30)

    def server_pids(self) -> list[int]:
        return [proc.pid for proc, log in self._procs if log is not None]

    def stop(self) -> None:
        for proc, log in reversed(self._procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            if log is not None:
                log.close()
        self._procs.clear()
