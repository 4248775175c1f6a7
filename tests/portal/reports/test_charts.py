"""The SVG chart functions: labelled for screen readers, text escaped, shares and totals shown."""
from __future__ import annotations

import re

from portal.reports import charts
from portal.reports.charts import Series


def test_chart_is_an_image_labelled_by_its_title_and_description():
    svg = charts.bar_chart("chart-x", "Participations", "Two agencies.", [("DTA", 3), ("ATO", 1)])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Participations</title><desc id="chart-x-desc">Two agencies.</desc>' in svg


def test_labels_from_the_database_are_escaped():
    svg = charts.grouped_bars("chart-s", "Skills", "<b>desc</b>", ["<script>alert(1)</script>"],
                              [Series("Asked", [2]), Series("Offered", [1])])
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


def test_funnel_shows_each_stage_as_a_share_of_the_first():
    svg = charts.funnel("chart-f", "Funnel", "Stages.", [("Applied", 40), ("Selected", 10), ("Completed", 0)])
    assert "10 (25% of applied)" in svg and "0 (0% of applied)" in svg


def test_stacked_columns_put_the_total_on_each_column_and_use_whole_number_gridlines():
    svg = charts.stacked_columns("chart-m", "By month", "Months.", ["Jan", "Feb"],
                                 [Series("Open", [2, 1]), Series("Closed", [1, 0])])
    totals = re.findall(r'font-weight="bold" fill="#1a1a1a">(\d+)</text>', svg)
    assert totals == ["3", "1"]
    assert ">1.5<" not in svg and ">3<" in svg


def test_chart_text_is_dark_on_white_for_contrast():
    svg = charts.bar_chart("chart-c", "T", "D", [("DTA", 3)])
    assert set(re.findall(r'<text [^>]*fill="([^"]+)"', svg)) == {charts.TEXT}
