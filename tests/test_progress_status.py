"""Automatic progress lines: on for a terminal (or SCHATTHEORY_PROGRESS=1), off for a script reading stderr."""

import io
import time

from schattheory.outputs.commands._status import Status, auto_progress


def test_progress_follows_the_terminal_and_the_environment(monkeypatch):
    monkeypatch.delenv("SCHATTHEORY_PROGRESS", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert auto_progress() is False  # captured stderr: a script is reading
    monkeypatch.setenv("SCHATTHEORY_PROGRESS", "1")
    assert auto_progress() is True
    monkeypatch.setenv("SCHATTHEORY_PROGRESS", "0")
    assert auto_progress() is False


def test_a_slow_step_is_announced_when_progress_is_on(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    st = Status("demo", delay=0.05, enabled=True)
    st("working")
    time.sleep(0.3)
    st.close()
    quiet = Status("demo", delay=0.05, enabled=False)
    quiet("silent")
    time.sleep(0.3)
    quiet.close()
    assert err.getvalue() == "schattheory demo: working ...\n"
