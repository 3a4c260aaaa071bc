"""CSV and XLSX exports of dashboard tables, streamed, with nothing in a cell that a
spreadsheet would run: no formula, no link.

Text is written as text (a leading =, +, -, @, tab or CR gets a quote, for the spreadsheets
that evaluate CSV cells), numbers as numbers; nothing is left to a spreadsheet's guessing.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # so that spreadsheets read UTF-8
        yield writer.writerow([neutralise(str(h)) for h in header])
        for row in rows:
            yield writer.writerow([neutralise(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    # constant_memory writes each row to disk as it goes; the file is then streamed.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            # Belt and braces: every cell is written with an explicit type below, but should
            # one ever go through write(), text stays text.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    for column, title in enumerate(header):
        sheet.write_string(0, column, str(title), bold)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            _write(sheet, index, column, value)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _write(sheet, row: int, column: int, value) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value))
    else:
        sheet.write_string(row, column, neutralise(str(value)))
