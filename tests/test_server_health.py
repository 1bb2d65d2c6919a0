"""The server extension is enabled and its health endpoint answers only with a token."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from green_assist import __version__


async def test_health_reports_version_and_optional_parts(jp_fetch):
    response = await jp_fetch("green-assist", "health")
    assert response.code == 200
    payload = json.loads(response.body)
    assert payload["version"] == __version__
    assert set(payload["optional"]) == {"torch", "fvcore", "torchao", "nvml"}
    for name, cap in payload["optional"].items():
        assert isinstance(cap["available"], bool), name
        assert cap["detail"], f"{name} must say why it is (un)available"


async def test_health_nvml_absent_says_why(jp_fetch):
    # These machines have no NVIDIA driver: NVML is reported unusable, with a reason.
    payload = json.loads((await jp_fetch("green-assist", "health")).body)
    nvml = payload["optional"]["nvml"]
    if nvml["available"]:
        pytest.skip("an NVIDIA driver is present on this machine")
    assert "NVML" in nvml["detail"] or "nvidia-ml-py" in nvml["detail"]


async def test_health_refuses_requests_without_token(jp_fetch):
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("green-assist", "health", headers={"Authorization": ""})
    assert excinfo.value.code == 403
