"""Kernel side of green_assist: the IPython extension, its magics, the comm link and the
profiler that turns the sensors' energy windows into one record per cell.

Modules, each with one job (nothing here imports torch unless FLOPs are counted):

- ``extension``: ``%load_ext green_assist``; the ``KernelAgent`` (hooks, magics, comm);
- ``magics``: arguments of ``%%greenprofile`` / ``%greenprofile``;
- ``runner``: running a profiled cell the way IPython runs any cell;
- ``session``: ``ProfilerSession``, from ``begin`` to the record on disk;
- ``measurement``: one energy window (and FLOP counter) around a cell or script;
- ``flops`` / ``flop_formulas``: FLOP counting on ``torch.utils.flop_counter``;
- ``live``: the thread that streams live figures and samples GPU utilisation;
- ``advice``: runtime advice rules with their evidence;
- ``hardware``: GPU probe, peak FLOP/s table, CPU and memory facts;
- ``session_log``: the JSONL record format, writer and reader;
- ``totals``: session totals, the one sum every front end and report shows;
- ``display`` / ``readout``: text and HTML results, the live widget;
- ``messages`` / ``comm``: what goes over the ``green_assist`` comm, and the link.
"""
