#!/usr/bin/env bash
# CI's last checks: the built wheel on its own (migrations, the Danish login page), lint and
# the security scan. .ci/run runs this beside the browser legs. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "=== the built wheel on its own ==="
rm -rf dist
.venv/bin/python -m build --wheel --outdir dist . >/dev/null
wheel_env=$(mktemp -d)
python3 -m venv "$wheel_env/venv"
"$wheel_env/venv/bin/python" -m pip install --quiet dist/netvaerk-*.whl
(
  cd "$wheel_env"
  export NETVAERK_INSTANCE_PATH="$wheel_env/instance"
  "$wheel_env/venv/bin/flask" --app netvaerk db upgrade
  "$wheel_env/venv/bin/python" - <<'PY'
from netvaerk import create_app

app = create_app({"TESTING": True})
page = app.test_client().get("/login")
html = page.get_data(as_text=True)
assert page.status_code == 200, page.status_code
assert '<html lang="da">' in html and "Log ind" in html, "the login page is not Danish"
print("wheel: migrations ran and the Danish login page renders")
PY
)
rm -rf "$wheel_env"

echo "=== lint and security scan ==="
make lint
.venv/bin/bandit -q -r netvaerk --severity-level high --confidence-level medium
