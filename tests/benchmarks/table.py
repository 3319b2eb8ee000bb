"""The one table of a run, from its JSON: printed, or as the README's Markdown section."""

from __future__ import annotations

import re
from pathlib import Path

PAGE_SLOWDOWN = 1.5  # no page slower on the large data than on the demo by more than this
QUERY_CAP = 15
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def rows(results: dict) -> list[tuple[str, str, str, str, str, bool | None]]:
    """(measure, value, baseline, ratio, target, met) for every row; no row is special-cased."""
    out = []
    c = results["checkin"]
    out.append(
        (
            "1 kiosk tap (JSON: check-in and what the confirmation shows), app vs. bare Flask "
            "insert route",
            f"{c['app_ms']} ms"
            + (f", {c['queries_fresh_checkin']} q" if "queries_fresh_checkin" in c else ""),
            f"{c['bare_ms']} ms",
            f"{c['ratio']}×",
            "≤ 2×",
            c["ratio"] <= 2,
        )
    )
    if "page_ms" in c:
        out.append(
            (
                "1 kiosk check-in as a page (form POST without script), for information",
                f"{c['page_ms']} ms"
                + (f", {c['queries_page_checkin']} q" if "queries_page_checkin" in c else ""),
                f"{c['bare_ms']} ms",
                f"{c['page_ratio']}×",
                "",
                None,
            )
        )
    small, large = results["pages_small"], results["pages_large"]
    for label, g in large.items():
        s = small.get(label)
        if s is None:
            out.append(
                (f"2 {label}", f"{g['ms']} ms, {g['queries']} q", "not on demo", "", "", None)
            )
            continue
        ratio = round(g["ms"] / s["ms"], 2) if s["ms"] else 0
        out.append(
            (
                f"2 {label}",
                f"{g['ms']} ms, {g['queries']} q",
                f"demo {s['ms']} ms, {s['queries']} q",
                f"{ratio}×",
                f"≤ {PAGE_SLOWDOWN}×, same q ≤ {QUERY_CAP}",
                ratio <= PAGE_SLOWDOWN
                and g["queries"] == s["queries"]
                and g["queries"] <= QUERY_CAP,
            )
        )
    r = results["report"]
    for state in ("open", "closed"):
        if state not in r:
            continue
        one = r[state]
        out.append(
            (
                f"3 monthly report, one network, {state} month {one['month']}",
                f"{one['app_ms']} ms, {one['queries']} q",
                f"replayed SQL {one['bare_sql_ms']} ms",
                f"{one['ratio']}×",
                "≤ 1.5×",
                one["ratio"] <= 1.5,
            )
        )
        out.append(
            (
                f"3 {state} month {one['month']} over {r['networks']} networks",
                f"{one['all_networks_ms']} ms, {one['all_networks_queries']} q",
                "",
                "",
                "< 500 ms",
                one["all_networks_ms"] < 500,
            )
        )
    if "load" in results:
        lo = results["load"]
        out.append(
            (
                f"4 gunicorn -w {lo['workers']}, {lo['clients']} kiosk clients "
                f"({lo['clients_per_network']} per network on {lo['residents_per_network']} "
                f"residents), {lo['seconds']} s",
                f"{lo['rps']} req/s",
                f"p50 {lo['p50_ms']} / p95 {lo['p95_ms']} / p99 {lo['p99_ms']} ms",
                f"{lo['errors']} errors, {lo['duplicates']} duplicates",
                "0 and 0, tapped = checked in",
                lo["errors"] == 0
                and lo["duplicates"] == 0
                and lo["residents_tapped"] == lo["residents_checked_in"],
            )
        )
        out.append(
            (
                "5 peak resident memory of a worker after the load",
                f"{lo['worker_peak_rss_mib']} MiB",
                "",
                "",
                "",
                None,
            )
        )
    return out


def _met(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "NO")


def print_table(results: dict) -> None:
    """The table on the terminal."""
    table = rows(results)
    header = ("measure", "value (large)", "baseline", "ratio", "target")
    widths = [max(len(h), *(len(str(row[i])) for row in table)) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  met"
    print("\n" + line)
    print("-" * len(line))
    for row in table:
        cells = "  ".join(str(v).ljust(w) for v, w in zip(row[:5], widths, strict=True))
        print(f"{cells}  {_met(row[5])}")


def markdown(results: dict, source: str = "") -> str:
    """The README's section: machine, date, commit, data, then the table."""
    m, size, rows_ = results["machine"], results["size"], results.get("rows", {})
    load = m.get("loadavg_at_start", [0])[0]
    lines = [
        f"Run of {results['started'][:16].replace('T', ' ')} on commit `{results.get('commit')}`"
        + (f" ({source})" if source else "")
        + ".",
        f"Machine: {m['nproc']} cores, {m['ram_gib']} GiB RAM, {m['cpu']}, "
        f"PostgreSQL {results.get('postgresql', '?')}, Python {m['python']}, "
        f"load average {load:.1f} at the start.",
        f"Data: {size['networks']} networks × {size['years']} years, seed {size['seed']} "
        f"({rows_.get('netvaerk_participant', '?')} participants, "
        f"{rows_.get('netvaerk_attendance', '?')} attendance rows, "
        f"{rows_.get('netvaerk_monthly_report', '?')} closed months); "
        + (
            "copied from the cached template."
            if results.get("generate", {}).get("cached")
            else f"generated in {results.get('generate', {}).get('seconds', '?')} s."
        ),
        "",
        "| measure | large data | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows(results):
        cells = [str(v).replace("|", "\\|") for v in row[:5]]
        lines.append("| " + " | ".join(cells) + f" | {_met(row[5])} |")
    return "\n".join(lines) + "\n"


def write_readme(readme: Path, section: str) -> None:
    """Replace the text between the bench markers of the README by `section`."""
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme} has no {START} ... {END} block")
    readme.write_text(pattern.sub(lambda _: f"{START}\n{section}{END}", text))
