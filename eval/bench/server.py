"""Start the real motionqa server on a free loopback port in a subprocess, and stop it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.api.settings import Settings
from eval.bench.timing import memory_mb

STARTUP_TIMEOUT_SECONDS = 600.0  # the first start may build the index and the ONNX model


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_environment(settings: Settings) -> dict[str, str]:
    """This process' environment with every setting as its ``MOTIONQA_*`` variable, and no API key
    (the bench is a loopback client)."""
    data = settings.model_dump(mode="json", exclude={"api_key", "llm_api_key"})
    env = {k: v for k, v in os.environ.items() if k not in {"MOTIONQA_API_KEY", "MOTIONQA_LLM_API_KEY"}}
    for name, value in data.items():
        if value is not None:
            env[f"MOTIONQA_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env


@dataclass
class ServerProcess:
    """A running server: ``url``, ``pid``, how long it took to answer ``/api/health``."""

    settings: Settings
    port: int = field(default_factory=free_port)
    startup_seconds: float = 0.0
    process: subprocess.Popen | None = None
    log: tempfile._TemporaryFileWrapper | None = None  # the server's own output (access log), off the console

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerProcess:
        started = time.perf_counter()
        # The real ``motionqa serve``: what users run, in its own process (its RSS is the server's alone).
        command = [str(Path(sys.executable).with_name("motionqa")), "serve", "--host", "127.0.0.1", "--port"]
        command.append(str(self.port))
        self.log = tempfile.NamedTemporaryFile(prefix="motionqa-bench-server-", suffix=".log")
        self.process = subprocess.Popen(
            command, env=child_environment(self.settings), stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = started + STARTUP_TIMEOUT_SECONDS
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with code {self.process.returncode} before it was ready:\n{self.output()}"
                )
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2.0).status_code == 200:
                    self.startup_seconds = time.perf_counter() - started
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        tail = self.output()
        self.__exit__(None, None, None)
        raise TimeoutError(f"the server did not answer /api/health within {STARTUP_TIMEOUT_SECONDS:.0f} s:\n{tail}")

    def output(self, chars: int = 4000) -> str:
        """The tail of what the server printed."""
        if self.log is None:
            return ""
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-chars:]

    def memory(self) -> dict[str, float]:
        """Current and peak RSS of the server process (call while it runs)."""
        assert self.process is not None
        return memory_mb(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()
