"""AppTest fixtures: a fresh app per test with Streamlit's caches cleared.

Caches are cleared before and after each test so one test's parsed workbook never
feeds another's. The helpers live in app_helpers.py (re-exported here for older imports).
"""

from __future__ import annotations

import pytest
import streamlit as st
from app_helpers import *  # noqa: F403  (kept for tests that import helpers from conftest)
from app_helpers import APP, APP_TIMEOUT, AppTest, assert_no_exception


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app() -> AppTest:
    """The app after its first run, on the sample."""
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    assert_no_exception(at)
    return at
