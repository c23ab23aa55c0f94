"""What can be checked of the deployment without Docker: the compose file, the image recipe,
the env files and Settings, Prometheus' config and the Grafana dashboard agree."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from sprintsync import metrics
from sprintsync.config import Settings
from tests.ops.opskit import (
    ROOT,
    compose_interpolate,
    promql_label_matchers,
    promql_metric_names,
    read_env_file,
    require_tool,
)

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
DEFAULTS = Settings.model_construct()
APP_PORT = 8501
SECRETS = {
    "POSTGRES_PASSWORD": "pg-0123456789abcdef",
    "SPRINTSYNC_SECRET_KEY": "k" * 48,
    "GRAFANA_ADMIN_PASSWORD": "grafana-admin-0123",
    "GRAFANA_DB_PASSWORD": "grafana-db-0123",
}
ENV_FILES = sorted((ROOT / "deploy/env").glob("*.env"))


def final_stage(dockerfile: str) -> str:
    return re.split(r"(?m)^FROM ", dockerfile)[-1]


def test_compose_has_the_services_of_the_deployment():
    assert set(SERVICES) == {"db", "app", "proxy", "prometheus", "db-grants", "grafana"}
    assert "pgvector" in SERVICES["db"]["image"]
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert set(COMPOSE["volumes"]) >= {"pgdata", "promdata", "grafanadata"}


@pytest.mark.parametrize("name", ["db", "app", "proxy", "prometheus", "grafana"])
def test_every_long_running_service_has_a_healthcheck_and_resource_limits(name):
    service = SERVICES[name]
    assert service["healthcheck"]["test"]
    limits = service["deploy"]["resources"]["limits"]
    assert float(limits["cpus"]) > 0
    assert limits["memory"].endswith(("m", "g"))
    assert service["restart"] == "unless-stopped"


def test_the_app_waits_for_a_healthy_database_and_serves_on_the_settings_ports():
    app = SERVICES["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["command"][:2] == ["sprintsync", "serve"]
    assert app["command"][app["command"].index("--port") + 1] == str(APP_PORT)
    assert app["environment"]["SPRINTSYNC_METRICS_PORT"] == str(DEFAULTS.metrics_port)
    assert app["environment"]["SPRINTSYNC_METRICS_HOST"] == "0.0.0.0"  # noqa: S104
    assert set(app["expose"]) == {str(APP_PORT), str(DEFAULTS.metrics_port)}
    assert "ports" not in app  # only the proxy and Prometheus reach it
    assert f"127.0.0.1:{APP_PORT}/_stcore/health" in " ".join(app["healthcheck"]["test"])


@pytest.mark.parametrize(
    "name",
    [
        "SPRINTSYNC_SECRET_KEY",
        "SPRINTSYNC_ADMIN_USERNAME",
        "SPRINTSYNC_ADMIN_PASSWORD",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "SPRINTSYNC_SMTP_PASSWORD",
    ],
)
def test_secrets_reach_the_app_container_but_no_env_file_holds_them(name):
    assert SERVICES["app"]["environment"][name] == f"${{{name}:-}}"
    for env_file in ENV_FILES:
        assert name not in read_env_file(env_file), f"{env_file.name} must not hold {name}"


def test_the_proxy_prometheus_and_grafana_point_at_what_exists():
    upstream = (ROOT / "deploy/nginx/upstream.conf").read_text()
    assert f"server app:{APP_PORT};" in upstream
    assert (
        "include /etc/nginx/sprintsync/upstream.conf;" in (ROOT / "deploy/nginx.conf").read_text()
    )
    assert "./deploy/nginx:/etc/nginx/sprintsync:ro" in SERVICES["proxy"]["volumes"]
    assert SERVICES["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"
    prometheus = yaml.safe_load((ROOT / "deploy/prometheus.yml").read_text())
    (job,) = [j for j in prometheus["scrape_configs"] if j["job_name"] == "sprintsync"]
    (sd,) = job["dns_sd_configs"]
    assert (sd["names"], sd["port"], job["metrics_path"]) == (
        ["app"],
        DEFAULTS.metrics_port,
        "/metrics",
    )
    (api,) = [j for j in prometheus["scrape_configs"] if j["job_name"] == "sprintsync-api"]
    assert api["static_configs"] == [{"targets": [f"127.0.0.1:{DEFAULTS.api_metrics_port}"]}]
    for service in ("prometheus", "grafana", "proxy", "db-grants"):
        for volume in SERVICES[service]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{service} mounts missing {source}"
    assert SERVICES["grafana"]["depends_on"]["db-grants"]["condition"] == (
        "service_completed_successfully"
    )


def test_the_image_is_multi_stage_non_root_without_compilers_and_health_checked():
    assert len(re.findall(r"(?m)^FROM ", DOCKERFILE)) == 2
    runtime = final_stage(DOCKERFILE)
    assert runtime.startswith("python:")
    assert "-slim" in runtime.splitlines()[0]
    users = re.findall(r"(?m)^USER (\S+)", runtime)
    assert users, "the runtime stage must switch to a non-root user"
    assert users[-1] not in ("root", "0")
    for compiler in ("build-essential", "gcc", "g++", "clang", "make "):
        assert compiler not in runtime
    assert "/_stcore/health" in re.search(r"(?ms)^HEALTHCHECK.*?$\n.*?$", runtime).group(0)
    assert re.search(rf"(?m)^EXPOSE {APP_PORT} {DEFAULTS.metrics_port}$", runtime)
    assert '"sprintsync", "serve"' in runtime


def test_the_image_ships_the_migrations_where_the_settings_look():
    runtime = final_stage(DOCKERFILE)
    assert "SPRINTSYNC_MIGRATIONS_DIR=/app/migrations" in runtime
    assert re.search(r"(?m)^COPY --from=build /src/migrations \./migrations$", runtime)
    assert re.search(r"(?m)^WORKDIR /app$", runtime)
    allowed = (ROOT / ".dockerignore").read_text().splitlines()
    for needed in (
        "sprintsync/",
        "migrations/",
        "app.py",
        "app_pages/",
        ".streamlit/",
        "pyproject.toml",
    ):
        assert f"!{needed}" in allowed


def test_every_setting_is_documented_in_env_example():
    documented = set(read_env_file(ROOT / ".env.example"))
    for name, field in Settings.model_fields.items():
        env_name = field.validation_alias or f"SPRINTSYNC_{name.upper()}"
        assert env_name in documented, f"{env_name} is not in .env.example"


def test_env_example_as_a_dot_env_is_a_valid_dev_config(tmp_path):
    settings = Settings(_env_file=ROOT / ".env.example")
    assert settings.env == "dev"
    assert settings.problems() == []
    assert settings.migrations_dir is None  # "NAME=" means the default


def test_every_variable_the_deployment_reads_is_documented():
    documented = set(read_env_file(ROOT / ".env.example"))
    used = set(re.findall(r"\$\{([A-Za-z_]\w*)", (ROOT / "docker-compose.yml").read_text()))
    for env_file in ENV_FILES:
        used |= set(read_env_file(env_file))
    assert used - documented == set()


def container_env(env_file, extra: dict[str, str]) -> dict[str, str]:
    """What the app container gets from compose: its env_file, then its environment block."""
    scope = read_env_file(env_file) | extra
    app = SERVICES["app"]
    (listed,) = app["env_file"]
    assert compose_interpolate(listed, scope) == str(env_file.relative_to(ROOT))
    values = read_env_file(env_file)
    for key, value in app["environment"].items():
        values[key] = compose_interpolate(str(value), scope)
    return {k: v for k, v in values.items() if k.startswith(("SPRINTSYNC_", "GEMINI_"))}


def test_the_app_settings_file_has_no_silent_default():
    # A command run without the env files must fail, not recreate the prod app as dev.
    (listed,) = SERVICES["app"]["env_file"]
    with pytest.raises(KeyError, match="APP_ENV_FILE"):
        compose_interpolate(listed, SECRETS)
    for env_file in ENV_FILES:
        assert compose_interpolate(listed, read_env_file(env_file)) == str(
            env_file.relative_to(ROOT)
        )


def test_the_operations_guide_names_the_env_files_before_any_compose_command():
    guide = (ROOT / "docs/OPERATIONS.md").read_text()
    export = re.search(r"(?m)^export COMPOSE_ENV_FILES=(\S+)$", guide)
    assert export is not None
    first, secrets = export.group(1).split(",")
    assert (ROOT / first) in ENV_FILES
    assert f"cat > {secrets} <<EOF" in guide
    commands = [m.start() for m in re.finditer(r"docker compose [a-z]", guide)]
    assert len(commands) >= 10
    assert export.start() < min(commands)


@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.stem)
def test_each_environment_with_its_secrets_is_a_valid_config(env_file, settings_env):
    env = container_env(env_file, SECRETS)
    settings = settings_env(**env)

    assert settings.env == env_file.stem
    assert settings.problems() == []
    assert settings.database_url.startswith("postgresql+psycopg://sprintsync:")
    assert settings.metrics_port == DEFAULTS.metrics_port


def test_prod_without_a_secret_key_is_refused(settings_env):
    env = container_env(ROOT / "deploy/env/prod.env", SECRETS | {"SPRINTSYNC_SECRET_KEY": ""})
    settings = settings_env(**({"SPRINTSYNC_SECRET_KEY": None} | env))

    assert settings.problems() == [
        "SPRINTSYNC_SECRET_KEY must be set to a random value of 32+ characters."
    ]


def test_the_log_levels_follow_the_environment():
    levels = {p.stem: read_env_file(p)["SPRINTSYNC_LOG_LEVEL"] for p in ENV_FILES}
    assert levels == {"dev": "DEBUG", "stage": "INFO", "prod": "WARNING"}


def test_promtool_accepts_the_prometheus_config():
    promtool = require_tool("promtool")
    result = subprocess.run(
        [promtool, "check", "config", str(ROOT / "deploy/prometheus.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


def exported_names() -> set[str]:
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "gauge": ("",),
    }
    names = set()
    for family in metrics.REGISTRY.collect():
        for suffix in suffixes.get(family.type, ("",)):
            names.add(family.name + suffix)
    return names


DASHBOARD = json.loads((ROOT / "deploy/grafana/dashboards/sprintsync.json").read_text())
PROM_TARGETS = [
    t for p in DASHBOARD["panels"] for t in p["targets"] if t["datasource"]["uid"] == "prometheus"
]


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum by (page) (rate(x_total{a="b"}[5m]))', {"x_total"}),
        ("histogram_quantile(0.95, sum by (le) (rate(h_bucket[$__rate_interval])))", {"h_bucket"}),
        ("max(a) / 60 + on (job) group_left b", {"a", "b"}),
    ],
)
def test_the_promql_name_parser_finds_metric_names(expr, names):
    assert promql_metric_names(expr) == names


def test_the_dashboard_queries_only_metrics_the_app_exports():
    exported = exported_names()
    queried = set().union(*(promql_metric_names(t["expr"]) for t in PROM_TARGETS))

    assert queried - exported == set()
    # The four things the dashboard is for: requests, errors, page run time, hours.
    assert {
        "sprintsync_page_views_total",
        "sprintsync_errors_total",
        "sprintsync_page_run_seconds_bucket",
        "sprintsync_time_logged_seconds",
    } <= queried


@pytest.mark.parametrize(
    ("expr", "matchers"),
    [
        (
            'rate(x_total{a="b", c!~"d|e"}[5m])',
            [("x_total", "a", "=", "b"), ("x_total", "c", "!~", "d|e")],
        ),
        ("sum(y)", []),
    ],
)
def test_the_promql_matcher_parser_finds_label_selectors(expr, matchers):
    assert promql_label_matchers(expr) == matchers


def _selected_values(op: str, value: str) -> list[str]:
    # Regex matchers in our dashboards are plain alternations; anything else fails loudly.
    if op in ("=~", "!~"):
        assert re.fullmatch(r"[\w|]+", value), f"unsupported regex matcher {value!r}"
        return value.split("|")
    return [value]


@pytest.mark.parametrize("target", PROM_TARGETS, ids=[t["expr"][:60] for t in PROM_TARGETS])
def test_every_dashboard_selector_names_a_label_value_the_app_emits(target):
    """A selector on a value the app never emits (outcome!="ok" where success is "success")
    silently selects everything or nothing."""
    for metric, label, op, value in promql_label_matchers(target["expr"]):
        known = metrics.LABEL_VALUES.get(metric)
        assert known is not None and label in known, f"{metric}{{{label}}} is not declared"
        for one in _selected_values(op, value):
            assert one in known[label], f"{metric} never has {label}={one!r}"


def test_the_declared_label_values_are_those_the_code_emits():
    from sprintsync.errors import SprintSyncError
    from sprintsync.services import auth
    from sprintsync.ui import errors as ui_errors

    assert set(auth._REFUSALS.values()) | {"success", "refused", "error"} == set(
        metrics.LOGIN_OUTCOMES
    )
    shown = {ui_errors.outcome_of(kind()) for kind in ui_errors.OUTCOMES}
    shown |= {ui_errors.outcome_of(SprintSyncError()), ui_errors.outcome_of(None)}
    shown |= {ui_errors.outcome_of(RuntimeError())}
    assert shown == set(metrics.ACTION_OUTCOMES)
    assert (shown - {"ok", "error"}) | {"unexpected"} == set(metrics.ERROR_KINDS)


def test_the_dashboard_uses_only_provisioned_datasources():
    provisioned = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/sprintsync.yml").read_text()
    )
    uids = {d["uid"] for d in provisioned["datasources"]}
    used = {p["datasource"]["uid"] for p in DASHBOARD["panels"]}
    used |= {t["datasource"]["uid"] for p in DASHBOARD["panels"] for t in p["targets"]}
    assert used == uids
