"""Start the real motionqa server on a free loopback port in a subprocess, and stop it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from assistant.api.settings import Settings
from eval.bench.timing import memory_mb

STARTUP_TIMEOUT_SECONDS = 600.0  # the first start may build the index and the ONNX model


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


UNLIMITED_RATE = "1000000/second"


def child_environment(settings: Settings) -> dict[str, str]:
    """This process' environment with every setting as its ``MOTIONQA_*`` variable, no API key (the
    bench is a loopback client) and no per-client limits below the server's own (the bench's clients
    all come from one address)."""
    data = settings.model_dump(mode="json", exclude={"api_key", "llm_api_key"})
    data |= {"max_connections_per_client": settings.max_connections, "client_request_rate": UNLIMITED_RATE}
    env = {k: v for k, v in os.environ.items() if k not in {"MOTIONQA_API_KEY", "MOTIONQA_LLM_API_KEY"}}
    for name, value in data.items():
        if value is not None:
            env[f"MOTIONQA_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env


class ServerProcess:
    """The real ``motionqa serve`` (what users run) in its own process on a loopback port.

    Its own process keeps its CPU and memory apart from the caller's, so its RSS is the server's
    alone. ``start`` launches without waiting (boot it while doing other work), ``wait_ready``
    waits for ``/api/health``; as a context manager it does both and stops the server on exit.
    The bench and the system tests (soak, the browser, restarts) all start servers with this.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        log_path: Path,
        port: int | None = None,
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
    ) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.port = port or free_port()
        self.startup_timeout = startup_timeout
        self.startup_seconds = 0.0  # from ``start`` to the first answer of /api/health
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def for_settings(cls, settings: Settings, log_path: Path) -> ServerProcess:
        return cls(child_environment(settings), log_path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> ServerProcess:
        self.start()
        return self.wait_ready()

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("motionqa")), "serve", "--host", "127.0.0.1", "--port"]
        command.append(str(self.port))
        self._log = self.log_path.open("wb")  # the server's own output (access log), off the console
        self._started = time.perf_counter()
        self.process = subprocess.Popen(command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> ServerProcess:
        assert self.process is not None
        deadline = self._started + self.startup_timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with code {self.process.returncode} before it was ready:\n{self.output()}"
                )
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2.0).status_code == 200:
                    self.startup_seconds = time.perf_counter() - self._started
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        tail = self.output()
        self.__exit__(None, None, None)
        raise TimeoutError(f"the server did not answer /api/health within {self.startup_timeout:.0f} s:\n{tail}")

    def output(self, chars: int | None = 4000) -> str:
        """What the server printed: the last ``chars`` characters, or all of it with ``None``."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return text if chars is None else text[-chars:]

    def memory(self) -> dict[str, float]:
        """Current and peak RSS of the server process (call while it runs)."""
        return memory_mb(self.pid)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self._log.close()
