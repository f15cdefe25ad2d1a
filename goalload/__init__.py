"""Goalload: see and cut the goal load of a Swedish municipality or region.

Pure Python (polars, openpyxl); never imports streamlit, so everything the app shows is
a plain function call that the CLI and the tests make too.
"""

__version__ = "0.1.0"
