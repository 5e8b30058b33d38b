"""The embedded reference server: started as a subprocess on a free loopback port, stopped at the end.

The harness never imports `caldasa_reference`; it runs `python -m caldasa_reference serve` with fresh random
tokens passed in the environment (never on argv), reads the URL from the first stdout line, and keeps the rest
of the server's output for `<report-dir>/reference-server.log`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from caldasa_conformance.redaction import register_secret

URL_PREFIX = "Caldasa reference server on "
STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0


class EmbeddedServerError(RuntimeError):
    """The reference server could not be started; the message says why."""


@dataclass
class EmbeddedServer:
    """A running reference server: its URL, its two tenants' tokens and its output."""

    extra_args: tuple[str, ...] = ()
    url: str = ""
    token: str = field(default_factory=lambda: "ref-" + secrets.token_urlsafe(24))
    secondary_token: str = field(default_factory=lambda: "ref-" + secrets.token_urlsafe(24))
    output: list[str] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        """The server's command line (no secrets in it)."""
        return [
            sys.executable,
            "-m",
            "caldasa_reference",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--enable-testing-api",
            "--allow-insecure-webhooks",
            *self.extra_args,
        ]

    def start(self) -> str:
        """Start the server and wait for its URL line.

        Raises:
            EmbeddedServerError: it exited, printed something else first, or said nothing in time.
        """
        register_secret(self.token)
        register_secret(self.secondary_token)
        env = {
            **os.environ,
            "CALDASA_REFERENCE_TOKENS": f"{self.token}=Conformance A,{self.secondary_token}=Conformance B",
        }
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
            bufsize=1,
            # Its own session: a terminal's Ctrl-C must not stop it while pytest still tears down through it.
            start_new_session=True,
        )
        first_line = self._first_line()
        if not first_line.startswith(URL_PREFIX):
            self.stop()
            tail = " | ".join(line.strip() for line in self.output[-3:]) or "no output"
            raise EmbeddedServerError(f"the reference server did not start ({tail})")
        self.url = first_line[len(URL_PREFIX) :].strip()
        threading.Thread(target=self._drain, daemon=True).start()
        return self.url

    def _first_line(self) -> str:
        """Read lines until the URL line (uvicorn may log first on the merged stream)."""
        assert self.process is not None
        stream = self.process.stdout
        assert stream is not None
        result: list[str] = []

        def read() -> None:
            for line in stream:
                self.output.append(line)
                if line.startswith(URL_PREFIX):
                    result.append(line)
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(STARTUP_SECONDS)
        return result[0] if result else ""

    def _drain(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop in time)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)

    def write_log(self, path: Path) -> None:
        """Save the server's output (redacted) to `path`."""
        from caldasa_conformance.reporting.files import write_text

        write_text(path, "".join(self.output))

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
