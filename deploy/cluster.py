"""Start Circle servers and nginx in front of them on this machine, from deploy/nginx.conf.

Used by the replica tests and the replica load benchmark, so both run the sample
configuration a council would deploy (with test ports and without TLS).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from deploy.serving import ROOT, Server, free_port, start_server, wait_healthy

SAMPLE = ROOT / "deploy" / "nginx.conf"


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    ports: list[int] = field(default_factory=list)
    front_port: int = 0
    servers: list[Server] = field(default_factory=list)
    _nginx: subprocess.Popen | None = None

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    def start_servers(self, count: int) -> None:
        """`count` servers (named a, b, ... in CIRCLE_SERVER_NAME), started together, each
        healthy before this returns."""
        for n in range(count):
            port = free_port()
            env = {**self.env, "CIRCLE_SERVER_NAME": chr(ord("a") + n)}
            self.servers.append(
                start_server(env, self.folder / f"server-{n}.log", port=port, healthy_within=None)
            )
            self.ports.append(port)
        for server in self.servers:
            server.wait_healthy(120)

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
        self._nginx = subprocess.Popen(
            [nginx, "-c", str(path), "-p", str(self.folder), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_healthy(self.front, 30)

    def server_pids(self) -> list[int]:
        return [server.pid for server in self.servers]

    def stop(self) -> None:
        """nginx first, then the servers: only the processes this cluster started."""
        if self._nginx is not None:
            self._nginx.terminate()
            try:
                self._nginx.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._nginx.kill()
            self._nginx = None
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
