"""The console's results downloads over HTTP: the Excel workbook and the CSV hide the same
small counts with the same words, and the workbook says how it was suppressed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.services.audit import recent
from tests.e2e.console_client import Visitor, later, make_officer
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app

RESULTS = "/console/consultations/feeling-safe/results"
# Nine people answer the first question: four "Very safe" (1), four "Fairly safe" (2),
# one "Not very safe" (3). The one is hidden, and one of the fours with it to protect it.
ANSWERS = ["1"] * 4 + ["2"] * 4 + ["3"]


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url, min_count=3) as harness:
        for index, choice in enumerate(ANSWERS):
            phone = Phone(harness, f"+4477009005{index:02d}")
            phone.send("SAFE")
            phone.send("yes")
            assert "How safe do you feel at school" in phone.send(choice).text or choice == "3"
        yield harness


@pytest.fixture
def visitor(app: TwilioHarness) -> Iterator[Visitor]:
    browser = Visitor(app.base_url)
    make_officer(app.runtime, "sam@council.gov.uk")
    assert browser.sign_in("sam@council.gov.uk").status_code == 303
    yield browser
    browser.close()


def test_the_workbook_hides_the_small_count_and_says_how(
    app: TwilioHarness, visitor: Visitor
) -> None:
    page = visitor.get(RESULTS)
    assert page.status_code == 200
    assert f'href="{RESULTS}.xlsx"' in page.text
    assert "Download as Excel" in page.text

    download = visitor.get(RESULTS + ".xlsx")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="feeling-safe-results.xlsx"' in download.headers["content-disposition"]
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["Results", "How it was suppressed"]
    rows = [tuple(cell for cell in row) for row in book["Results"].iter_rows(values_only=True)]
    assert rows[0] == ("question_id", "question", "option", "count")
    shown = {option_row(rows, "Very safe")[3], option_row(rows, "Fairly safe")[3]}
    assert shown == {4, "hidden to protect a small group"}  # a shown count is a number
    assert option_row(rows, "Not very safe")[3] == "fewer than 3"
    assert all(row[3] not in (1, "1") for row in rows if row[2] == "Not very safe")

    notes = " ".join(
        str(r[0] or "") for r in book["How it was suppressed"].iter_rows(values_only=True)
    )
    assert "The threshold is 3" in notes
    assert "“fewer than 3”" in notes
    assert "“hidden to protect a small group”" in notes

    as_csv = list(csv.reader(io.StringIO(visitor.get(RESULTS + ".csv").text)))
    assert [tuple(r) for r in as_csv] == [tuple(_text(c) for c in row) for row in rows]
    assert option_row([tuple(r) for r in as_csv], "Not very safe")[3] == "fewer than 3"

    exports = [e.detail.split() for e in recent(app.runtime, 20, action="results.export")]
    assert {"format=xlsx", "format=csv", "format=console"} <= {w for d in exports for w in d}


def test_the_workbook_of_a_breakdown_and_of_an_unknown_consultation(
    app: TwilioHarness, visitor: Visitor
) -> None:
    by = visitor.get(RESULTS + ".xlsx?by=safe_after_dark")
    assert by.status_code == 200
    book = load_workbook(io.BytesIO(by.content))
    header = next(book["Results"].iter_rows(values_only=True))
    assert header == ("question_id", "question", "option", "group", "count")
    missing = visitor.get("/console/consultations/nothing-here/results.xlsx")
    assert missing.status_code == 404


def test_an_anonymous_visitor_gets_no_workbook(app: TwilioHarness) -> None:
    browser = Visitor(app.base_url)
    assert browser.get(RESULTS + ".xlsx").status_code == 303
    browser.close()


def option_row(rows: list[tuple[object, ...]], label: str) -> tuple[object, ...]:
    [row] = [r for r in rows if r[0] == "safe_after_dark" and r[2] == label]
    return row


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def test_responses_per_day_are_a_chart_and_a_table_suppressed(
    app: TwilioHarness, visitor: Visitor
) -> None:
    page = visitor.get(RESULTS)
    assert page.status_code == 200
    section = page.text.split("<h2>Responses per day</h2>", 1)[1].split("</section>", 1)[0]
    today = app.clock.now().date()
    day = f"{today:%a} {today.day} {today:%b %Y}"
    assert f'<th scope="row">{day}</th><td>9</td>' in section  # nine started today
    assert '<svg class="chart" role="img"' in section
    assert f"<desc>{day}: 9</desc>" in section  # the chart's words for a screen reader
    assert "style=" not in section  # the CSP allows no inline style

    later(app.runtime, timedelta(days=2))
    phone = Phone(app, "+447700900599")
    phone.send("SAFE")
    assert "How safe do you feel" in phone.send("yes").text  # it has started
    visitor.sign_in("sam@council.gov.uk")  # two idle days end a session

    section = visitor.get(RESULTS).text.split("<h2>Responses per day</h2>", 1)[1]
    section = section.split("</section>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', section)
    assert rows[0][0] == day
    assert len(rows) == 3  # the day between, with nobody, is listed too
    counts = [r[1] for r in rows]
    assert counts[1] == "0"
    # The one person two days later is hidden, and the nine with them: the total (10) is
    # on the page, so either alone would give the other away.
    assert counts[0] == counts[2] == "hidden to protect a small group"
    assert "1" not in counts


def test_no_responses_no_days(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url, min_count=3) as app:
        browser = Visitor(app.base_url)
        make_officer(app.runtime, "sam@council.gov.uk")
        browser.sign_in("sam@council.gov.uk")
        page = browser.get(RESULTS)
        assert page.status_code == 200
        assert "Responses per day" not in page.text
        browser.close()
