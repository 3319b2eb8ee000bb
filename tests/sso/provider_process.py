"""Starts the real OpenID provider (panva/oidc-provider on Node.js) on a free port of
127.0.0.1, with the users and groups a test gives it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "netvaerk"
CLIENT_SECRET = "netvaerk-test-client-secret"


def free_port() -> int:
    """A port nobody listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def why_unavailable() -> str | None:
    """None when the provider can run, else the reason (for pytest.skip)."""
    if shutil.which("node") is None:
        return "node is not installed: the OpenID Connect tests run a real provider on Node.js"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            return "npm is missing, so tests/sso/provider could not be installed (make setup)"
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            return "npm ci in tests/sso/provider failed: " + result.stderr[-300:]
    return None


class Provider:
    """A running provider: its issuer, client, signing key and the users it knows."""

    def __init__(self, workdir: Path, redirect_uris: list[str], logout_uris: list[str]) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.signing_key = RSAKey.generate_key(
            2048, parameters={"kid": "netvaerk-test", "use": "sig", "alg": "RS256"}, private=True
        )
        self.users_file = workdir / "users.json"
        self.set_users({})
        self.config_file = workdir / "provider.json"
        self.config_file.write_text(
            json.dumps(
                {
                    "issuer": self.issuer,
                    "port": self.port,
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                    "post_logout_redirect_uris": logout_uris,
                    "signing_key": self.signing_key.as_dict(private=True),
                    "users": str(self.users_file),
                }
            )
        )
        self.process: subprocess.Popen | None = None

    def set_users(self, users: dict[str, dict]) -> None:
        """The provider's users from now on: sub -> claims (email, name, groups ...)."""
        self.users_file.write_text(json.dumps(users))

    def start(self) -> None:
        """Start node and wait until it listens."""
        self.process = subprocess.Popen(
            ["node", "server.mjs", str(self.config_file)],
            cwd=PROVIDER_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError as error:
                if self.process.poll() is not None:
                    output = self.process.stdout.read()
                    raise RuntimeError("the OpenID provider stopped: " + output) from error
                time.sleep(0.1)
        raise RuntimeError("the OpenID provider did not start within 30 seconds")

    def stop(self) -> None:
        """Stop node."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process.stdout.close()
