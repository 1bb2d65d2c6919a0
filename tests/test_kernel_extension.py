"""The IPython extension loads in a real kernel and greets the front end over the comm."""

import socket

from green_assist import __version__


def test_load_ext_then_connect_sends_hello(kernel):
    loaded = kernel.execute("%load_ext green_assist", silent=True, store_history=False)
    assert loaded.status == "ok"
    connected = kernel.execute("%green_assist_connect", silent=True, store_history=False)
    assert connected.status == "ok"
    opens = [
        m for m in connected.of_type("comm_open") if m["content"]["target_name"] == "green_assist"
    ]
    assert len(opens) == 1
    hello = opens[0]["content"]["data"]
    assert hello["type"] == "hello"
    assert hello["version"] == __version__
    assert hello["host"]["hostname"] == socket.gethostname()
    assert hello["host"]["cpu_count"] >= 1
    assert hello["host"]["gpu_count"] == len(hello["host"]["gpu_names"])
    if hello["host"]["gpu_count"] == 0:
        assert hello["host"]["gpu_reason"]


def test_silent_bootstrap_leaves_no_history(kernel):
    kernel.execute(
        "%load_ext green_assist\n%green_assist_connect", silent=True, store_history=False
    )
    result = kernel.execute("print(len(get_ipython().history_manager.input_hist_raw))")
    # Only the print itself sits in history (index 0 is IPython's empty placeholder).
    assert result.stdout.strip() == "2"


def test_loading_twice_is_harmless_and_reconnect_greets_again(kernel):
    kernel.execute("%load_ext green_assist")
    first = kernel.execute("%green_assist_connect")
    again = kernel.execute("%load_ext green_assist\n%green_assist_connect")
    assert again.status == "ok"
    assert [d["type"] for d in first.comm_data()] == ["hello"]
    assert [d["type"] for d in again.comm_data()] == ["hello"]


def test_front_end_can_ask_for_hello_again(kernel):
    kernel.execute("%load_ext green_assist")
    opened = kernel.execute("%green_assist_connect").of_type("comm_open")[0]
    replies = kernel.comm_send(opened["content"]["comm_id"], {"type": "request_hello"})
    assert [r["type"] for r in replies] == ["hello"]


def test_missing_extension_fails_with_module_error(kernel):
    # What the front end shows when green_assist is not in the kernel's environment.
    result = kernel.execute("%load_ext green_assist_not_installed_anywhere")
    assert result.status == "error"
    assert result.reply["content"]["ename"] == "ModuleNotFoundError"
