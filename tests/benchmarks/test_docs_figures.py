"""The benchmarks write their figures into docs/benchmarks.md between markers (--update-docs).

The benchmarks themselves take minutes, so they are not run here: write_section is tested on
scratch pages, and each script's formatter and argument parsing on a result of the shape its
JSON line has.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
SCRIPTS = ["csv_import", "event_log_1m", "map_load", "report_7days", "roster_solver",
           "security_audit", "sync_replay"]


def _load(name: str) -> ModuleType:
    """Import benchmarks/<name>.py as the script sees its imports, leaving no trace behind.

    The scripts set environment variables (offscreen Qt, a data directory) and sys.path at
    import time; both are put back so that no other test runs under them.
    """
    environ, path = dict(os.environ), list(sys.path)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.clear()
        os.environ.update(environ)
        sys.path[:] = path


@pytest.fixture(scope="module")
def docs_figures() -> ModuleType:
    return _load("docs_figures")


PAGE = """# Benchmarks

Context that a person wrote: machine, baseline.

<!-- bench:alpha -->
old alpha table
<!-- /bench:alpha -->

Between the sections.

<!-- bench:beta -->
old beta table
<!-- /bench:beta -->

Closing words.
"""


def test_write_section_replaces_only_the_text_between_its_markers(tmp_path, docs_figures):
    page = tmp_path / "benchmarks.md"
    page.write_text(PAGE, encoding="utf-8")
    docs_figures.write_section("alpha", "| a | b |\n| --- | --- |\n| 1 | 2 |\n", path=page)
    text = page.read_text(encoding="utf-8")
    assert "old alpha table" not in text
    assert "<!-- bench:alpha -->\n| a | b |\n| --- | --- |\n| 1 | 2 |\n<!-- /bench:alpha -->" in text
    # Everything outside the section is byte for byte what it was.
    before, after = PAGE.split("old alpha table\n")
    assert text.startswith(before.rstrip("\n"))
    assert text.endswith(after)
    assert "old beta table" in text
    assert not list(tmp_path.glob("*.tmp"))


def test_write_section_twice_gives_the_same_page(tmp_path, docs_figures):
    page = tmp_path / "benchmarks.md"
    page.write_text(PAGE, encoding="utf-8")
    docs_figures.write_section("beta", "new beta", path=page)
    once = page.read_text(encoding="utf-8")
    docs_figures.write_section("beta", "new beta", path=page)
    assert page.read_text(encoding="utf-8") == once
    assert once.count("new beta") == 1


@pytest.mark.parametrize("page_text, message", [
    (PAGE, "<!-- bench:gamma --> is missing"),
    (PAGE.replace("<!-- /bench:alpha -->", ""), "<!-- /bench:alpha --> is missing"),
    (PAGE + "<!-- bench:alpha -->\n", "<!-- bench:alpha --> appears 2 times"),
    ("<!-- /bench:alpha -->\n<!-- bench:alpha -->\n", "comes before"),
])
def test_a_missing_or_broken_marker_is_a_clear_error(tmp_path, docs_figures, page_text, message):
    page = tmp_path / "benchmarks.md"
    page.write_text(page_text, encoding="utf-8")
    name = "gamma" if "gamma" in message else "alpha"
    with pytest.raises(docs_figures.MarkerError, match=message.replace("(", r"\(")):
        docs_figures.write_section(name, "figures", path=page)
    assert page.read_text(encoding="utf-8") == page_text  # nothing written


def test_a_missing_page_is_a_clear_error(tmp_path, docs_figures):
    with pytest.raises(docs_figures.MarkerError, match="does not exist"):
        docs_figures.write_section("alpha", "figures", path=tmp_path / "nowhere.md")


def test_markdown_table_escapes_pipes(docs_figures):
    table = docs_figures.markdown_table(["what", "value"], [["a|b", 3]])
    assert table.splitlines() == ["| what | value |", "| --- | --- |", "| a\\|b | 3 |"]


def test_the_docs_page_has_one_section_per_benchmark(docs_figures):
    text = docs_figures.DOCS_PAGE.read_text(encoding="utf-8")
    for name in SCRIPTS:
        # Replacing in memory proves both markers are there, once, in order.
        assert "MARK" in docs_figures.replace_section(text, name, "MARK")


# One result per script, in the shape of the JSON line it prints (values of a real run).
RESULTS = {
    "csv_import": {
        "benchmark": "csv_import", "lines": 10000, "bytes": 2110541,
        "runs_s": [3.9, 3.8, 4.1], "median_s": 3.9, "cpu_s": 3.3, "load_average": [1.2, 1.6],
        "lines_per_s": 2564, "target_s": 5.0, "read_s": 1.1, "write_s": 2.6, "floor_s": 0.21,
        "ratio_to_floor": 18.6, "sample": 300, "per_line_sample_s": 4.6,
        "per_line_extrapolated_s": 153.9, "progress_calls": 41, "ok": True},
    "event_log_1m": {
        "benchmark": "event_log_1m", "events": 1_000_000, "open_pane_ms": 48.2,
        "open_bare_sql_ms": 31.5, "first_screen_ms": 19.7, "scroll_to_middle_ms": 20.6,
        "scroll_bare_sql_ms": 64.8, "combined_filter_ms": 364.0,
        "combined_filter_bare_sql_ms": 269.0, "combined_filter_rows": 12345,
        "filter_ratio": 1.35, "scroll_ratio": 0.32,
        "targets": {"filter_ratio_max": 1.5, "first_screen_ms_max": 100}},
    "map_load": {
        "benchmark": "map_load", "events": 10000, "batch_size": 100, "batches": 10,
        "initial_load_s": 0.65, "initial_load_best_s": 0.61, "reload_all_s": 0.43,
        "batch_median_ms": 16.5, "batch_max_ms": 23.1, "folium_rerender_s": 6.0,
        "folium_page_load_s": 0.5, "folium_html_mb": 9.87, "speedup_batch_vs_rerender": 394.0,
        "external_requests": 0, "target_initial_s": 1.0, "target_batch_ms": 50.0,
        "initial_ok": True, "batch_ok": True},
    "report_7days": {
        "benchmark": "report_7days", "events": 7612, "pages": 19, "runs": [1.1, 1.05, 1.02],
        "median_s": 1.05, "target_s": 5.0, "baseline_read_all_events_s": 0.27,
        "ratio_to_baseline": 3.89, "pdf_bytes": 123456,
        "timings_last_run": {"collect": 0.15, "charts": 0.12, "map": 0.07, "html": 0.12,
                             "pdf": 0.43}, "ok": True},
    "roster_solver": {
        "benchmark": "roster_solver", "meets_target": True, "runs": [
            {"operators": 60, "budget_s": 5.0, "status": "feasible", "wall_s": 2.81,
             "assignments": 1008, "holes": 0, "broken_rules": 0, "night_spread": 1,
             "weekend_spread": 2, "fair_at_s": 2.79,
             "spreads_at": {"1s": [5, 6], "2s": [1, 4], "5s": [1, 2]},
             "baseline_first_roster_s": 0.8, "baseline_first_roster_spreads": [5, 6],
             "ratio_fair_over_first": 3.47, "load_before": "6.83 6.91 4.81",
             "load_after": "6.83 6.91 4.81", "meets_target": True},
            {"operators": 200, "budget_s": 30.0, "status": "feasible", "wall_s": 29.5,
             "assignments": 1008, "holes": 0, "broken_rules": 0, "night_spread": 1,
             "weekend_spread": 1, "fair_at_s": 3.8,
             "spreads_at": {"1s": None, "2s": None, "5s": [1, 1], "10s": [1, 1], "30s": [1, 1]},
             "baseline_first_roster_s": 3.8, "baseline_first_roster_spreads": [1, 2],
             "ratio_fair_over_first": 1.0, "load_before": "6.72 6.88 4.83",
             "load_after": "7.50 7.07 4.96", "meets_target": True}]},
    "security_audit": {
        "rows": 5000, "insert_bare_s": 0.16, "insert_audited_s": 0.46,
        "audit_overhead_ratio": 2.9, "audited_rows_per_s": 10870, "verify_records": 10000, "verify_s": 0.217,
        "verify_records_per_s": 46083},
    "sync_replay": {
        "benchmark": "sync", "replay_changes": 20000, "replay_bare_insert_s": 2.75,
        "replay_replay_s": 5.4, "replay_ratio": 1.96, "latency_samples": 100,
        "latency_p50_ms": 39.0, "latency_p95_ms": 53.0, "latency_max_ms": 101.0,
        "latency_notifications": 100, "replay_within_2x": True, "latency_p95_ok": True},
}

# Figures each formatted section must show (as the script prints them).
EXPECTED = {
    "csv_import": ["10,000 lines", "3.90 s (2,564 lines/s)", "< 5 s", "3.30 s", "1.10 s / 2.60 s",
                   "0.210 s (import = 18.6x)", "154 s", "1.2 / 1.6"],
    "event_log_1m": ["19.7 ms", "364.0 ms", "269.0 ms = 1.35x", "row 500,000", "12,345 rows"],
    "map_load": ["0.65 s / 0.61 s", "16.5 ms / 23.1 ms", "0.43 s", "6.00 s render", "394x"],
    "report_7days": ["1.05 s", "0.27 s (report = 3.89x)", "pdf 0.43 s", "19 pages"],
    "roster_solver": ["60 operators, 5 s", "200 operators, 30 s", "0.8 s", "5 / 6", "1 / 4",
                      "2.79 s", "3.47", "0 / 0", "6.83 6.91 4.81", "met in this run: yes"],
    "security_audit": ["0.160 s", "0.460 s (x2.9, 10,870 audited rows/s)", "46,083 records/s",
                       "5,000 event inserts"],
    "sync_replay": ["5.40 s", "2.75 s", "1.96x", "39 ms", "53 ms", "101 ms", "met: yes"],
}


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_benchmark_formats_its_figures_as_a_markdown_table(name, tmp_path):
    script = _load(name)
    markdown = script.figures_markdown(RESULTS[name])
    lines = markdown.splitlines()
    assert lines[0].startswith("Measured ") and f"python benchmarks/{name}.py" in lines[0]
    header = next(i for i, line in enumerate(lines) if line.startswith("| "))
    assert set(lines[header + 1].replace(" ", "")) <= {"|", "-"}  # the separator row
    for figure in EXPECTED[name]:
        assert figure in markdown, (figure, markdown)
    # And it lands in a page's section.
    page = tmp_path / "benchmarks.md"
    page.write_text(f"intro\n<!-- bench:{name} -->\nold\n<!-- /bench:{name} -->\nend\n")
    script_write = _load("docs_figures").write_section
    script_write(name, markdown, path=page)
    assert page.read_text() == f"intro\n<!-- bench:{name} -->\n{markdown}\n<!-- /bench:{name} -->\nend\n"


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_benchmark_takes_update_docs(name):
    script = _load(name)
    assert script.parse_args(["--update-docs"]).update_docs is True
    assert script.parse_args([]).update_docs is False
    with pytest.raises(SystemExit):
        script.parse_args(["--no-such-option"])
