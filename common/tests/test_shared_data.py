from pathlib import Path

from common.shared_data import VARIABLE, shared_data

CHECKOUT = Path(__file__).resolve().parents[2]


def test_without_the_variable_the_data_is_looked_for_beside_the_checkout(monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert shared_data() == CHECKOUT.parent / "shared" / "data"


def test_the_variable_names_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    assert shared_data() == tmp_path.resolve()


def test_a_relative_folder_is_read_from_the_working_directory(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(VARIABLE, "data")
    assert shared_data() == (tmp_path / "data").resolve()
