"""yizhan-client answers a person's mistakes with one clear line and a non-zero exit, no traceback."""

import pytest

from bidding.client import cli


def run(capsys, monkeypatch, *argv, env=None):
    for name in ("YIZHAN_PASSWORD", "YIZHAN_PASSPHRASE", "YIZHAN_OTP", "YIZHAN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    return code, err


def test_a_key_file_that_cannot_be_written(capsys, monkeypatch, tmp_path):
    target = tmp_path / "missing-dir" / "key.json"
    code, err = run(
        capsys,
        monkeypatch,
        "keygen",
        "--out",
        str(target),
        env={"YIZHAN_PASSPHRASE": "long-enough-passphrase"},
    )
    assert code == 1
    assert err.startswith("yizhan-client: cannot use") and str(target) in err
    assert "Traceback" not in err


def test_no_terminal_to_ask_for_a_password(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": (_ for _ in ()).throw(EOFError()))
    code, err = run(
        capsys,
        monkeypatch,
        "--server",
        "http://127.0.0.1:9",
        "--username",
        "bob",
        "enroll",
        "--key",
        str(tmp_path / "k.json"),
        "--out",
        str(tmp_path / "c.pem"),
    )
    assert code == 1
    assert "no terminal to ask on" in err and "YIZHAN_PASSWORD" in err


def test_an_interrupted_prompt(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": (_ for _ in ()).throw(KeyboardInterrupt()))
    code, err = run(capsys, monkeypatch, "keygen", "--out", str(tmp_path / "k.json"))
    assert code == 130
    assert err.strip() == "yizhan-client: interrupted"


@pytest.mark.parametrize("content", ["{bad", ""])
def test_a_broken_key_file(capsys, monkeypatch, tmp_path, content):
    key = tmp_path / "k.json"
    key.write_text(content)
    code, err = run(
        capsys,
        monkeypatch,
        "--token",
        "t",
        "enroll",
        "--key",
        str(key),
        "--out",
        str(tmp_path / "c.pem"),
        env={"YIZHAN_PASSPHRASE": "x"},
    )
    assert code == 1 and "Traceback" not in err and str(key) in err
