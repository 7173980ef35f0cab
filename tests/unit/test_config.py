"""A bad setting stops start-up with one clear line naming the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import SettingsError, load_settings


def test_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SettingsError, match=r"^PORT: "):
        load_settings(_env_file=None)


def test_lists_and_defaults(monkeypatch):
    monkeypatch.setenv("ADMIN_USER_IDS", "U1, U2 U3")
    monkeypatch.setenv("BANK_DIRS", "teams/a,teams/b")
    monkeypatch.setenv("log_level", "debug")
    settings = load_settings(_env_file=None)
    assert settings.admin_user_ids == ["U1", "U2", "U3"]
    assert [str(p) for p in settings.bank_dirs] == ["teams/a", "teams/b"]
    assert settings.log_level == "DEBUG"
    assert not settings.online


def test_cli_prints_one_line_not_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LOG_LEVEL": "LOUD", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "bank", "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("mlquiz: configuration error: LOG_LEVEL:")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readme_documents_every_setting():
    from pathlib import Path

    from bot.config import setting_docs

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [name for name, _default, _doc in setting_docs() if f"`{name}`" not in readme]
    assert not missing, f"README's configuration table lacks {missing}"
