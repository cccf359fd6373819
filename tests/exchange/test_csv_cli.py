"""`console import-csv`: a file with refused lines is refused whole unless --skip-refused;
progress on stderr; the choice for times repeated when the clocks go back."""
from __future__ import annotations

import pytest
from security.demo_signin import DEMO_USER, demo_central

from console.cli import main
from exchange.conftest import counts

HEADER = "ref;titre;catégorie;gravité;date;heure\n"


@pytest.fixture(autouse=True)
def signed_in():
    demo_central()  # imports act as a signed-in user of the demo's embedded central


def _import(store, *args: str) -> int:  # noqa: ANN001
    return main(["import-csv", "--user", DEMO_USER, "--store", str(store.path), *args])


def test_refused_lines_refuse_the_file_unless_skipped(store, tmp_path, capsys):
    path = tmp_path / "autre.csv"
    path.write_text(HEADER + "1;Foule;crowd;2;10/01/2026;10:00\n"
                             "2;;crowd;2;10/01/2026;10:05\n", encoding="utf-8")
    assert _import(store, str(path)) == 1
    err = capsys.readouterr().err
    assert "1 of 2 lines cannot be imported, so nothing was imported" in err
    assert "line 3: title: is required" in err
    assert counts(store) == (0, 0)
    assert _import(store, "--skip-refused", str(path)) == 0
    captured = capsys.readouterr()
    assert "imported: 1, already present: 0, refused: 1" in captured.out
    assert "100% 1 / 1 events written" in captured.err  # progress goes to stderr
    assert counts(store) == (1, 1)


def test_dry_run_says_the_file_would_be_refused(store, tmp_path, capsys):
    path = tmp_path / "autre.csv"
    path.write_text(HEADER + "1;Foule;crowd;2;10/01/2026;10:00\n"
                             "2;Saut;crowd;2;30/03/2025;02:30\n", encoding="utf-8")
    assert _import(store, "--dry-run", str(path)) == 0
    out = capsys.readouterr().out
    assert "refused line 3: occurred_at: 30/03/2025 02:30 does not exist" in out
    assert "the file would be refused whole" in out
    assert counts(store) == (0, 0)


def test_ambiguous_times_option(store, tmp_path, capsys):
    path = tmp_path / "autre.csv"
    path.write_text(HEADER + "1;Double;crowd;2;26/10/2025;02:30\n", encoding="utf-8")
    assert _import(store, str(path)) == 1
    assert "happens twice in Europe/Paris" in capsys.readouterr().err
    assert _import(store, "--ambiguous-times", "later", str(path)) == 0
    assert counts(store) == (1, 1)
