"""Per-kernel energy in Jupyter Server's own ``/metrics``: a real server, a real kernel
profiling a real cell, and a real Prometheus scraping the server."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

from green_assist.profiler.session_log import read_session_dir

from .conftest import RETENTION_S, samples, until
from .prometheus_server import Prometheus, prometheus_or_skip

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[2] / "docs"
DASHBOARD = DOCS / "grafana" / "green_assist_dashboard.json"

ENERGY = "green_assist_energy_joules_total"
POWER = "green_assist_power_watts"
# A pure-Python loop: the kernel is busy (the CPU estimate sees it) and the profiler's
# live thread still gets the GIL between bytecodes.
BUSY_CELL = "import time\nt0 = time.time()\nn = 0\nwhile time.time() - t0 < {s}:\n    n += 1\n"


def log_sums(root):
    records = [r for log in read_session_dir(root / ".green_assist") for r in log.records]
    energy: dict[tuple[str, str], float] = {}
    for record in records:
        for component, entry in record.energy.items():
            if entry.get("joules") is not None:
                key = (component, entry["method"])
                energy[key] = energy.get(key, 0.0) + entry["joules"]
    co2e = sum(r.co2e_g or 0.0 for r in records)
    ok = sum(1 for r in records if r.status == "ok")
    return records, energy, co2e, ok


async def test_live_power_then_energy_equal_to_the_session_log(server_kernel):
    kernel = server_kernel
    ids = {"kernel_id": kernel.kernel_id}
    reply = await kernel.execute("%load_ext green_assist\n%greenprofile on")
    assert reply["status"] == "ok"

    running = kernel.start_execute(BUSY_CELL.format(s=6))

    async def live_power():
        text = await kernel.metrics()
        power = [s for s in samples(text, POWER, **ids) if s.value > 0]
        energy = [s for s in samples(text, ENERGY, **ids) if s.value > 0]
        return (power, energy) if power and energy else None

    power, energy = await until(live_power, timeout_s=30)
    assert (await kernel.reply_to(running))["status"] == "ok"
    # Live: the running cell's power, by component and method, with the notebook path.
    assert {s.labels["component"] for s in power} >= {"cpu"}
    assert all(s.labels["path"] == "work.ipynb" for s in power + energy)
    assert all(s.labels["method"] == "estimated" for s in power)  # no RAPL here: labelled

    async def settled():
        text = await kernel.metrics()
        done = samples(text, "green_assist_cells_total", status="ok", **ids)
        records = log_sums(kernel.root)[0]
        return text if done and done[0].value == len(records) and records else None

    text = await until(settled, timeout_s=30)
    records, energy_by_key, co2e, ok = log_sums(kernel.root)
    assert any("t0 = time.time()" in (r.source or "") for r in records)
    exported = {(s.labels["component"], s.labels["method"]): s.value for s in samples(text, ENERGY)}
    assert exported.keys() == energy_by_key.keys()
    for key, joules in energy_by_key.items():
        assert exported[key] == pytest.approx(joules, rel=1e-9), key
    (grams,) = samples(text, "green_assist_co2e_grams_total", **ids)
    assert grams.value == pytest.approx(co2e, rel=1e-9)
    assert samples(text, "green_assist_cells_total", status="ok", **ids)[0].value == ok
    # Nothing runs now: power is 0, and the labels stay the same series.
    assert {s.value for s in samples(text, POWER, **ids)} == {0.0}

    # Same authentication as the rest of the server: no token, no metrics.
    with pytest.raises(HTTPClientError) as refused:
        await kernel.metrics(Authorization="")
    assert refused.value.code == 403

    # A restarted kernel starts a new session log, which adds to the same kernel's series.
    await kernel.restart()
    reply = await kernel.execute("%load_ext green_assist\n%greenprofile on")
    assert reply["status"] == "ok"
    assert (await kernel.execute("y = sum(range(10_000))"))["status"] == "ok"
    text = await until(settled, timeout_s=30)
    records, energy_by_key, co2e, ok = log_sums(kernel.root)
    assert len({r.session_id for r in records}) == 2
    exported = {(s.labels["component"], s.labels["method"]): s.value for s in samples(text, ENERGY)}
    assert exported == pytest.approx(energy_by_key, rel=1e-9)
    assert samples(text, "green_assist_cells_total", status="ok", **ids)[0].value == ok

    # A kernel that ended keeps its final figures for a while, then is dropped.
    await kernel.shutdown()
    after = samples(await kernel.metrics(), ENERGY, **ids)
    assert {(s.labels["component"], s.labels["method"]): s.value for s in after} == exported
    await asyncio.sleep(RETENTION_S + 0.5)
    assert samples(await kernel.metrics(), ENERGY, **ids) == []


async def test_prometheus_scrapes_the_kernel_energy(
    server_kernel, jp_serverapp, jp_http_port, tmp_path
):
    prometheus_or_skip()
    kernel = server_kernel
    await kernel.execute("%load_ext green_assist\n%greenprofile on")
    assert (await kernel.execute(BUSY_CELL.format(s=1)))["status"] == "ok"
    await kernel.execute("%greenprofile off")
    token = jp_serverapp.identity_provider.token
    folder = tmp_path / "prometheus"
    folder.mkdir()
    prometheus = Prometheus(folder, jp_http_port, "/metrics", token).start()
    try:
        await prometheus.wait_ready()
        query = f'{ENERGY}{{kernel_id="{kernel.kernel_id}"}}'

        async def scraped():
            return await prometheus.query(query)

        try:
            result = await until(scraped, timeout_s=60, interval_s=0.5)
        except AssertionError:
            raise AssertionError(f"{await prometheus.targets()}\n{prometheus.log()}") from None
        _, energy_by_key, _, _ = log_sums(kernel.root)
        got = {
            (r["metric"]["component"], r["metric"]["method"]): float(r["value"][1]) for r in result
        }
        assert got.keys() == energy_by_key.keys()
        for key, joules in energy_by_key.items():
            assert got[key] == pytest.approx(joules, rel=1e-9)
        assert all(r["metric"]["path"] == "work.ipynb" for r in result)
        assert all(r["metric"]["job"] == "jupyter" for r in result)
        # Every query of the shipped Grafana dashboard is valid PromQL over these series.
        for title, expression in dashboard_queries():
            answer = await prometheus.query(expression)
            over_time = "rate(" in expression or "increase(" in expression
            if "energy_joules_total" in expression and not over_time:
                assert answer, title  # an instant sum of the counter: data right away
    finally:
        prometheus.stop()


def dashboard_queries():
    """(panel title, PromQL) of the Grafana dashboard, its variables filled in."""
    dashboard = json.loads(DASHBOARD.read_text())
    fill = {"$__range": "5m", "$__rate_interval": "1m", "$notebook": ".*"}
    queries = []
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            expression = target["expr"]
            for variable, value in fill.items():
                expression = expression.replace(variable, value)
            assert "$" not in expression, (panel["title"], expression)
            queries.append((panel["title"], expression))
    return queries


def test_prometheus_example_for_jupyterhub_is_a_valid_config(tmp_path):
    promtool = Path(prometheus_or_skip()).with_name("promtool")
    token = tmp_path / "token"
    token.write_text("not-a-real-token\n")
    text = (DOCS / "prometheus" / "jupyterhub-static.yml").read_text()
    config = tmp_path / "prometheus.yml"
    config.write_text(text.replace("/etc/prometheus/jupyterhub-token", str(token)))
    checked = subprocess.run(
        [str(promtool), "check", "config", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
