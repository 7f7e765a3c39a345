"""Production settings refuse to start without their secrets and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-test-secret-with-enough-entropy-9f8e7d6c5b4a",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/yizhan",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "YIZHAN_KEY_PASSPHRASE": "correct horse battery staple",
    "DJANGO_ALLOWED_HOSTS": "yizhan.example.gov.cn",
}


def run_manage(env_overrides: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("YIZHAN_")}
    env.update(PRODUCTION_ENV, YIZHAN_KEY_DIR=str(tmp_path / "keys"), YIZHAN_VAR_DIR=str(tmp_path / "var"))
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_passes_the_deployment_checks(tmp_path):
    result = run_manage({}, tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    for missing in ("DJANGO_SECRET_KEY", "DATABASE_URL", "YIZHAN_KEY_PASSPHRASE"):
        result = run_manage({missing: None}, tmp_path, "check")
        assert result.returncode != 0
        assert f"Set the {missing} environment variable" in result.stderr


def test_production_refuses_the_sandbox_payment_provider_unless_it_is_a_test_installation(tmp_path):
    refused = run_manage({"YIZHAN_PAYMENT_SANDBOX": "true"}, tmp_path, "check")
    assert refused.returncode != 0
    assert "YIZHAN_PAYMENT_SANDBOX is on in production" in refused.stderr
    declared = run_manage(
        {"YIZHAN_PAYMENT_SANDBOX": "true", "YIZHAN_TEST_INSTALLATION": "true"}, tmp_path, "check"
    )
    assert declared.returncode == 0, declared.stderr


def test_production_offers_no_sandbox_by_default(tmp_path):
    result = run_manage(
        {},
        tmp_path,
        "shell",
        "-c",
        "from portal.payments import enabled_providers; print(sorted(enabled_providers()))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
