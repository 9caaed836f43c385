"""Centrality reports of a served graph: each network's tables and charts, as ``kg report``
computes them, made once in a background thread and then kept (the report page reads them).

A report is computed in a child process forked from the server (it sees the projection without
a copy), so that its minutes of pure-Python work do not hold the server's GIL: at 10M quads
the actor report, computed in a thread, made entity lookups 4x slower while it ran.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import networkx as nx

from kg.errors import KGError, WarmingUpError
from kg.networks.metrics import METRICS, Network
from kg.report.analysis import Analysis, analyse
from kg.report.charts import Colouring, bar_figure, colouring, network_figure, svg_text
from kg.report.text import NETWORK_TITLES, TITLES

logger = logging.getLogger(__name__)

TOP = 10
"""Rows of each table and bars of each chart."""


@dataclass(frozen=True)
class NetworkReport:
    """Every metric of one network, its charts as SVG (``map`` and one per metric), and what
    the colours of the map say."""

    analysis: Analysis
    charts: dict[str, str]
    legend: Colouring


def network_report(projection: nx.MultiDiGraph, network: Network) -> NetworkReport:
    """Analyse network ``network`` of the projection and draw its charts, as ``kg report`` does."""
    a = analyse(projection, network, lambda step: logger.debug("report: %s", step))
    charts: dict[str, str] = {
        metric: svg_text(bar_figure(a.top(metric, TOP), f"{TITLES[metric]}: {network} network"))
        for metric in METRICS
    }
    groups, pagerank = a.map_groups(), a.values["pagerank"]
    charts["map"] = svg_text(network_figure(a.H, groups, pagerank, NETWORK_TITLES[network]))
    return NetworkReport(a, charts, colouring(a.H, groups, pagerank))


_FORK = (
    multiprocessing.get_context("fork")
    if "fork" in multiprocessing.get_all_start_methods()
    else None
)


def report_apart(projection: nx.MultiDiGraph, network: Network) -> NetworkReport:
    """:func:`network_report`, computed in a forked child (where fork exists) and sent back
    pickled; KGError if the child fails or stops."""
    if _FORK is None:
        return network_report(projection, network)
    receive, send = _FORK.Pipe(duplex=False)
    child = _FORK.Process(  # a daemon: a server that stops does not wait for its reports
        target=_report_child,
        args=(projection, network, send),
        name=f"report-{network}",
        daemon=True,
    )
    child.start()
    send.close()
    try:
        outcome, value = receive.recv()
    except EOFError:
        child.join()
        raise ReportLostError(
            f"the process computing the report of the {network} network stopped "
            f"(exit code {child.exitcode}); reload the page to try again"
        ) from None
    finally:
        receive.close()
    child.join()
    if outcome == "failed":
        raise value
    return value  # type: ignore[no-any-return]


class ReportLostError(WarmingUpError):
    """The child computing a report stopped (killed, out of memory): the next visit retries."""


def _report_child(projection: nx.MultiDiGraph, network: Network, send: Connection) -> None:
    try:
        send.send(("done", network_report(projection, network)))
    except KGError as exc:
        send.send(("failed", exc))
    finally:
        send.close()


@dataclass
class ReportCache:
    """The report of each network, computed once in a background thread, one at a time."""

    done: dict[Network, NetworkReport] = field(default_factory=dict)
    failed: dict[Network, KGError] = field(default_factory=dict)
    running: set[Network] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    one_at_a_time: threading.Lock = field(default_factory=threading.Lock)

    def peek(self, projection: nx.MultiDiGraph, network: Network) -> NetworkReport | None:
        """The report of ``network`` if it is ready; else None, and its computation starts."""
        with self.lock:
            if network in self.failed:
                raise self.failed[network]
            if network in self.done or network in self.running:
                return self.done.get(network)
            self.running.add(network)
        threading.Thread(
            target=self._compute, args=(projection, network), name=f"report-{network}", daemon=True
        ).start()
        return None

    def get(self, projection: nx.MultiDiGraph, network: Network) -> NetworkReport:
        """The report of ``network``, or WarmingUpError (503) while it is computed."""
        found = self.peek(projection, network)
        if found is None:
            raise WarmingUpError(
                f"the report of the {network} network is being computed; "
                "this page reloads by itself in a few seconds"
            )
        return found

    def _compute(self, projection: nx.MultiDiGraph, network: Network) -> None:
        try:
            with self.one_at_a_time:
                report = report_apart(projection, network)
            with self.lock:
                self.done[network] = report
            logger.info("report of the %s network ready", network)
        except ReportLostError:
            logger.exception("the report of the %s network was lost", network)
        except KGError as exc:
            logger.exception("the report of the %s network failed", network)
            with self.lock:
                self.failed[network] = exc
        finally:  # anything else is logged by the thread, and the next visit tries again
            with self.lock:
                self.running.discard(network)
