"""How long from an edit (``didChange``) to its diagnostics (``publishDiagnostics``).

    python bench/lsp_latency.py [--edits 50] [--file bench/data/train_500.py]

Starts two real servers over stdio (``green-assist lsp``), one with the default
debounce and one with ``--debounce-ms 0``, opens the 500-line training script in
both, then makes the same edits in both, interleaved (a comment appended to a
different statement each time, as typing does), waiting for each edit's
diagnostics before the next. The debounce is a fixed wait by design, so it is
reported separately: the ``--debounce-ms 0`` server measures analysis + publishing
+ the round trip, and ``analyze_source`` timed in this process on the same texts
is the analysis alone. Medians (and 90th percentiles) over the edits.

On a machine shared with other jobs, wall times include waiting for a CPU. The CPU
time each server (and its analysis worker) spends per edit is measured too, so the
latency on an idle machine can be estimated as the debounce plus that CPU time; the
estimate is printed as such, never as a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
import tokenize
from pathlib import Path

import psutil
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from green_assist.analysis import analyze_source
from green_assist.lsp import DEFAULT_DEBOUNCE_S

ROOT = Path(__file__).resolve().parents[1]
WARMUP = 5


class Server:
    """One ``green-assist lsp`` process and the arrival times of its diagnostics."""

    def __init__(self, name: str, arguments: list[str]) -> None:
        self.name = name
        self.arguments = arguments
        self.client = LanguageClient("lsp-latency-bench", "1")
        self.arrivals: asyncio.Queue[tuple[float, int | None]] = asyncio.Queue()
        arrivals = self.arrivals

        def published(params: types.PublishDiagnosticsParams) -> None:
            arrivals.put_nowait((time.perf_counter(), params.version))

        # pygls marks handlers with attributes, which bound methods cannot take.
        self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(published)

    async def start(self, root: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "green_assist", "lsp", *self.arguments)
        await self.client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
        )
        self.client.initialized(types.InitializedParams())
        process = getattr(self.client, "_server", None)  # pygls keeps the subprocess here
        self.process = psutil.Process(process.pid) if process is not None else None

    def cpu_seconds(self) -> float:
        """CPU time of the server and its worker processes so far."""
        if self.process is None:
            return 0.0
        total = 0.0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    async def wait_for(self, version: int) -> float:
        while True:
            arrived, published = await asyncio.wait_for(self.arrivals.get(), 60)
            if published == version:
                return arrived

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def edit_points(text: str, count: int) -> list[int]:
    """0-based lines where a logical line ends (a comment can go there), spread over the file."""
    ends = sorted(
        {
            token.start[0] - 1
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.NEWLINE
        }
    )
    step = max(len(ends) // count, 1)
    return ends[::step][:count]


async def one_edit(server: Server, uri: str, text: str, version: int) -> float:
    """Send one edit (the whole text, as the server asks: full sync); seconds to its diagnostics."""
    start = time.perf_counter()
    server.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await server.wait_for(version) - start


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(values) * 1000:6.1f} ms   p90 {p90 * 1000:6.1f} ms"


async def run(path: Path, edits: int) -> None:
    text = path.read_text(encoding="utf-8")
    servers = [
        Server(f"debounce {DEFAULT_DEBOUNCE_S * 1000:.0f} ms (default)", []),
        Server("debounce 0 ms", ["--debounce-ms", "0"]),
    ]
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / path.name
        document.write_text(text, encoding="utf-8")
        uri = document.as_uri()
        for server in servers:
            await server.start(Path(folder))
            server.client.text_document_did_open(
                types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, text))
            )
            await server.wait_for(1)
        lines = text.splitlines(keepends=True)
        points = edit_points(text, 25)
        timings: dict[str, list[float]] = {server.name: [] for server in servers}
        timings["analyze_source in this process"] = []
        cpu: dict[str, list[float]] = {server.name: [] for server in servers}
        cpu["analyze_source in this process"] = []
        for number in range(WARMUP + edits):
            version = number + 2
            line = points[number % len(points)]
            lines[line] = lines[line].rstrip("\r\n") + f"  # edit {version}\n"
            edited = "".join(lines)
            order = servers if number % 2 else servers[::-1]
            for server in order:
                used = server.cpu_seconds()
                elapsed = await one_edit(server, uri, edited, version)
                if number >= WARMUP:
                    timings[server.name].append(elapsed)
                    cpu[server.name].append(server.cpu_seconds() - used)
            start, used = time.perf_counter(), time.process_time()
            analyze_source(edited, str(document))
            if number >= WARMUP:
                timings["analyze_source in this process"].append(time.perf_counter() - start)
                cpu["analyze_source in this process"].append(time.process_time() - used)
        for server in servers:
            await server.stop()
    count = len(text.splitlines())
    print(f"didChange -> publishDiagnostics, {path.name} ({count} lines), {edits} edits each")
    for name, values in timings.items():
        cpu_median = statistics.median(cpu[name]) * 1000
        print(f"  {name:<34} {_summary(values)}   cpu {cpu_median:6.1f} ms")
    with_debounce = statistics.median(timings[servers[0].name])
    without = statistics.median(timings[servers[1].name])
    print(
        f"  => debounce {DEFAULT_DEBOUNCE_S * 1000:.0f} ms (a fixed wait) + analysis and"
        f" publishing {without * 1000:.0f} ms; the debounced median is {with_debounce * 1000:.0f}"
        f" ms ({(with_debounce - without) * 1000:.0f} ms more than without)"
    )
    busy = statistics.median(cpu[servers[0].name])
    print(
        f"  => estimate for an idle machine (not a measurement): debounce"
        f" {DEFAULT_DEBOUNCE_S * 1000:.0f} ms + {busy * 1000:.0f} ms of server CPU per edit ="
        f" {(DEFAULT_DEBOUNCE_S + busy) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--file", type=Path, default=ROOT / "bench" / "data" / "train_500.py")
    args = parser.parse_args()
    asyncio.run(run(args.file, args.edits))


if __name__ == "__main__":
    main()
