"""MLflow logging against a real tracking store (sqlite in a temp folder): ``green-assist
run --mlflow`` and ``%greenprofile on --mlflow`` in a real kernel."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ..kernel_session import KernelSession

pytestmark = pytest.mark.slow

if importlib.util.find_spec("mlflow") is None and not os.environ.get("CI"):
    pytest.skip("needs MLflow: pip install 'green-assist[mlflow]'", allow_module_level=True)

METRICS = ("green_assist.energy_j", "green_assist.co2e_g", "green_assist.duration_s")
TOTALS = tuple(m.replace("green_assist.", "green_assist.total.") for m in METRICS)
CLI = "import sys; from green_assist.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A tracking URI MLflow reads from the environment, as users set it."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri


def runs(uri):
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=uri)
    found = client.search_runs(experiment_ids=["0"])
    return client, found


def artifacts(client, run_id):
    return [a.path for a in client.list_artifacts(run_id, "green_assist")]


def green_run(tmp_path, *args, python_prefix="", env=None):
    return subprocess.run(
        [sys.executable, "-c", python_prefix + CLI, "run", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_script_run_gets_metrics_params_and_report_in_a_new_run(tmp_path, store):
    (tmp_path / "job.py").write_text("total = sum(i * i for i in range(200_000))\n")
    done = green_run(tmp_path, "--mlflow", "--label", "job", "job.py")
    assert done.returncode == 0, done.stderr
    assert "mlflow  run" in done.stderr
    client, found = runs(store)
    (run,) = found
    assert run.info.status == "FINISHED"  # green_assist started it, so it ended it
    metrics = run.data.metrics
    assert set(METRICS + TOTALS) <= set(metrics)
    history = client.get_metric_history(run.info.run_id, "green_assist.energy_j")
    assert [m.step for m in history] == [0]
    assert metrics["green_assist.energy_j"] == metrics["green_assist.total.energy_j"] > 0
    params = run.data.params
    assert params["green_assist.method.cpu"] == "estimated"  # no RAPL on these machines
    assert params["green_assist.region"] == "world average (default)"
    assert "green_assist.cpu_model" in params and "green_assist.pue" in params
    assert artifacts(client, run.info.run_id) == ["green_assist/green_assist_report.html"]
    (tmp_path / "dl").mkdir()
    local = client.download_artifacts(run.info.run_id, "green_assist", str(tmp_path / "dl"))
    assert "Energy report" in (Path(local) / "green_assist_report.html").read_text()


def test_script_with_its_own_run_gets_the_energy_next_to_its_metrics(tmp_path, store):
    (tmp_path / "train.py").write_text(
        textwrap.dedent(
            """
            import mlflow
            with mlflow.start_run(run_name="train"):
                mlflow.log_metric("accuracy", 0.91)
            """
        )
    )
    done = green_run(tmp_path, "--mlflow", "train.py")
    assert done.returncode == 0, done.stderr
    client, found = runs(store)
    (run,) = found  # no second run: the script's own
    assert run.info.run_name == "train"
    assert run.data.metrics["accuracy"] == 0.91
    assert set(METRICS) <= set(run.data.metrics)
    assert artifacts(client, run.info.run_id) == ["green_assist/green_assist_report.html"]


def test_a_rank_of_a_job_tags_its_run_and_names_its_report(tmp_path, store):
    # The environment torchrun gives rank 1 of 2.
    launcher = {"TORCHELASTIC_RUN_ID": "job-7", "RANK": "1", "LOCAL_RANK": "1", "WORLD_SIZE": "2"}
    (tmp_path / "job.py").write_text("x = 1\n")
    done = green_run(tmp_path, "--mlflow", "--report", "r.json", "job.py", env=launcher)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.rank1.json").is_file() and not (tmp_path / "r.json").exists()
    _, found = runs(store)
    (run,) = found
    tags = run.data.tags
    assert (tags["green_assist.job_id"], tags["green_assist.rank"]) == ("job-7", "1")
    assert tags["green_assist.world_size"] == "2"
    assert not any(key.startswith("green_assist.rank") for key in run.data.params)


def test_without_mlflow_the_flag_says_how_to_install_it(tmp_path):
    (tmp_path / "job.py").write_text("print('ran')\n")
    # An import of mlflow fails as if it were not installed.
    done = green_run(
        tmp_path, "--mlflow", "job.py", python_prefix="import sys; sys.modules['mlflow'] = None; "
    )
    assert done.returncode == 2
    assert "pip install 'green-assist[mlflow]'" in done.stderr
    assert "ran" not in done.stdout  # refused before running anything


def test_notebook_cells_are_logged_per_execution_count(tmp_path, store):
    kernel = KernelSession.start(
        cwd=tmp_path,
        env={"GREEN_ASSIST_SESSION_DIR": str(tmp_path / "logs"), "MLFLOW_TRACKING_URI": store},
    )
    try:
        assert kernel.execute("%load_ext green_assist").status == "ok"
        mine = kernel.execute("import mlflow\nrun = mlflow.start_run(run_name='mine')")
        assert mine.status == "ok"
        on = kernel.execute("%greenprofile on --mlflow")
        assert on.status == "ok", on.reply["content"]
        assert "logged to MLflow" in on.stdout
        first = kernel.execute("a = sum(range(100_000))")
        second = kernel.execute("b = a * 2")
        off = kernel.execute("%greenprofile off")
        assert off.status == "ok" and "report logged" in off.stdout
        still = kernel.execute("print(mlflow.active_run().info.run_id == run.info.run_id)")
        assert still.stdout.strip() == "True"  # the user's run stays theirs, still open
    finally:
        kernel.shutdown()
    client, found = runs(store)
    (run,) = found
    assert run.info.run_name == "mine"
    counts = [first.reply["content"]["execution_count"], second.reply["content"]["execution_count"]]
    history = client.get_metric_history(run.info.run_id, "green_assist.energy_j")
    assert sorted(m.step for m in history) == counts
    totals = client.get_metric_history(run.info.run_id, "green_assist.total.energy_j")
    by_step = {m.step: m.value for m in history}
    assert max(t.value for t in totals) == pytest.approx(sum(by_step.values()))
    assert artifacts(client, run.info.run_id) == ["green_assist/green_assist_report.html"]


def test_magic_without_mlflow_says_how_to_install_it(tmp_path):
    kernel = KernelSession.start(cwd=tmp_path, env={"GREEN_ASSIST_SESSION_DIR": str(tmp_path)})
    try:
        kernel.execute("import sys; sys.modules['mlflow'] = None\n%load_ext green_assist")
        refused = kernel.execute("%greenprofile on --mlflow")
        status = kernel.execute("%greenprofile status")
    finally:
        kernel.shutdown()
    assert refused.status == "error"
    assert "pip install 'green-assist[mlflow]'" in refused.reply["content"]["evalue"]
    assert "automatic profiling off" in status.stdout  # nothing was switched on


def test_kernel_exit_logs_the_report_of_the_run_it_started(tmp_path, store):
    kernel = KernelSession.start(
        cwd=tmp_path,
        env={"GREEN_ASSIST_SESSION_DIR": str(tmp_path / "logs"), "MLFLOW_TRACKING_URI": store},
    )
    kernel.km.shutdown_wait_time = 60  # a normal shutdown, given time to finish
    try:
        assert kernel.execute("%load_ext green_assist\n%greenprofile on --mlflow").status == "ok"
        cell = kernel.execute("c = sum(range(100_000))")
        assert cell.status == "ok"
    finally:
        kernel.kc.stop_channels()
        kernel.km.shutdown_kernel(now=False)
    client, found = runs(store)
    (run,) = found  # no active run in the kernel: green_assist started one
    assert run.info.run_name.startswith("green_assist: ")
    assert run.info.status == "FINISHED"
    history = client.get_metric_history(run.info.run_id, "green_assist.energy_j")
    assert [m.step for m in history] == [cell.reply["content"]["execution_count"]]
    assert artifacts(client, run.info.run_id) == ["green_assist/green_assist_report.html"]
