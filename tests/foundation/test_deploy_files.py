"""The deployment files name only settings that exist, and wire every service of the server profile."""

from __future__ import annotations

from pathlib import Path

import yaml

from core.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_compose_wires_the_server_profile_with_real_settings() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"vllm", "chroma", "postgres", "api", "app", "lb"} <= set(services)
    env = services["api"]["environment"]
    fields = {f"SHOPAGENT_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields, f"unknown settings in compose.yaml: {set(env) - fields}"
    settings = Settings(**{k.removeprefix("SHOPAGENT_").lower(): v for k, v in env.items()
                           if "${" not in str(v)})
    assert settings.checkpoint_uri.startswith("postgresql://") and settings.chroma_host == "chroma"
    assert services["app"]["environment"] == env  # the app and the workers share one profile


def test_dockerfile_installs_every_package_the_project_ships() -> None:
    import tomllib

    docker = (DEPLOY / "Dockerfile").read_text()
    project = tomllib.loads((DEPLOY.parent / "pyproject.toml").read_text())
    for package in project["tool"]["setuptools"]["packages"]["find"]["include"]:
        assert f"COPY {package.rstrip('*')} " in docker, package


def test_deployment_requires_a_token_with_no_default() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    token = compose["services"]["api"]["environment"]["SHOPAGENT_API_TOKEN"]
    assert token.startswith("${SHOPAGENT_API_TOKEN:?"), token  # compose refuses to start without one
    assert "change-me" not in (DEPLOY / "compose.yaml").read_text()
    docker = (DEPLOY / "Dockerfile").read_text()
    baked = [line for line in docker.splitlines() if line.startswith(("ENV", "ARG")) and "API_TOKEN" in line]
    assert not baked, baked  # nothing baked in: `shopagent api --host 0.0.0.0` refuses to start without one
