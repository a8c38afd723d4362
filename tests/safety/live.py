"""A real `framsteg serve` process on a free loopback port, for tests that need real connections and signals."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parents[2]
SECRET = "safety-test-secret-key-that-is-long-enough-0123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def framsteg(database_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a `framsteg` command against a database; raises if it fails."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=server_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FRAMSTEG_DATABASE_URL": database_url,
        "FRAMSTEG_ENVIRONMENT": "test",
        "FRAMSTEG_SECRET_KEY": SECRET,
    }


class LiveServer:
    """`framsteg serve` in a subprocess; its output goes to `log_path`."""

    def __init__(self, database_url: str, log_path: Path, *, workers: int = 1) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=server_env(database_url), cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}: {self.log()}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not start within {timeout} s: {self.log()}")

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM (a graceful shutdown), then wait; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> "LiveServer":
        self.wait_ready()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.terminate()
        self._log.close()
