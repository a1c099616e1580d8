"""How a count looks: tables, CSV and JSON text, and SVG, HTML and PNG charts of ``commune.tally`` results.

Kept outside the counting core so that ``commune.tally`` stays a library of counts alone (standard library
and NumPy): this package reads its results and never the reverse. It imports nothing of Django or of the
apps either, so ``commune tally`` and ``commune retally`` use it on a machine with no database.
"""

from commune.tallyviz.charts import colour, to_html, to_svg, write_png
from commune.tallyviz.text import figure, to_csv, to_json, to_jsonl, to_table

__all__ = ["colour", "figure", "to_csv", "to_html", "to_json", "to_jsonl", "to_svg", "to_table", "write_png"]
