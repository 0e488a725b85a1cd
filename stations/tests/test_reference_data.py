"""The shared reference files are found through PORTAL_SHARED_DATA, and a test that needs
one fails in CI when it is absent instead of skipping (a skip there could never fail)."""

import pytest

from common.shared_data import VARIABLE

from .conftest import reference_file


def test_reference_file_is_found_in_the_folder_the_variable_names(monkeypatch, tmp_path):
    (tmp_path / "xuchang-divisions.csv").write_text("code,name,level,parent_code\n")
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    assert reference_file("xuchang-divisions.csv") == tmp_path.resolve() / "xuchang-divisions.csv"


def test_absent_reference_file_skips_on_a_developers_machine(monkeypatch, tmp_path):
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=VARIABLE):
        reference_file("china-divisions.csv")


def test_absent_reference_file_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(
        pytest.fail.Exception, match=f"china-divisions.csv is absent: set {VARIABLE}"
    ):
        reference_file("china-divisions.csv")
