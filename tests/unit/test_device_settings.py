"""Device settings files: defaults, overrides, and every mistake named with its line."""

import pytest

from display.settings import load as load_display
from kiosk.settings import load as load_kiosk
from kiosk.survey.settings import load as load_survey
from shared.errors import ConfigFileError


def test_without_a_file_every_setting_has_its_default():
    settings = load_kiosk(None, "sqlite:///x.db")
    assert (settings.database, settings.paper_width, settings.printer_failure) == (
        "sqlite:///x.db",
        80,
        "stop",
    )


def test_the_database_at_the_top_and_the_apps_table_are_read(tmp_path):
    path = tmp_path / "pc.toml"
    path.write_text(
        'database = "postgresql://db/antrian"\n[display]\nzone = "lantai-2"\n'
        'numbers = "words"\nphrase = "nomor {number} ke loket {counter}"\n'
    )
    settings = load_display(path)
    assert settings.database == "postgresql://db/antrian"
    assert settings.renderer == "software"  # a board without a graphics chip stays cool
    assert (settings.zone, settings.numbers) == ("lantai-2", "words")
    assert settings.templates == {"call": "nomor {number} ke loket {counter}"}


def test_two_boards_on_one_pc_keep_their_announced_calls_apart(tmp_path):
    whole = load_display(None).state_file
    assert whole.name == "display-announced.txt"
    floors = {load_display(None, zone=z).state_file for z in ("lantai-1", "lantai-2", "a/../b")}
    assert len(floors | {whole}) == 4 and {f.parent for f in floors} == {whole.parent}
    path = tmp_path / "pc.toml"
    path.write_text(f'[display]\nzone = "lantai-1"\nstate_file = "{tmp_path / "s.txt"}"\n')
    assert load_display(path).state_file == tmp_path / "s.txt"  # as the file says


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[kiosk]\nprinter_failure = "ignore"\n', ":2: 'printer_failure' has a bad value"),
        ('[kiosk]\nidle_timeout = "lama"\n', ":2: 'idle_timeout' must be a number"),
        (
            '[kiosk]\nprinter = "file:/dev/usb/lp0"\nwarna = "biru"\n',
            ":3: unknown key 'warna' in [kiosk]",
        ),
        ("[kiosk\n", "(at line 1, column 7)"),
        ('[display]\nrenderer = "vulkan"\n', ":2: 'renderer' has a bad value"),
    ],
)
def test_a_broken_settings_file_names_the_line_and_key(tmp_path, text, expected):
    path = tmp_path / "pc.toml"
    path.write_text(text)
    with pytest.raises(ConfigFileError) as caught:
        (load_display if "[display]" in text else load_kiosk)(path)
    assert expected in caught.value.message("en")


def test_the_survey_tablet_reads_its_own_table_beside_the_other_apps(tmp_path):
    path = tmp_path / "pc.toml"
    path.write_text('[kiosk]\nlanguage = "en"\n[survey]\ncounter = "L07"\nidle_timeout = 30\n')
    settings = load_survey(path)
    assert (settings.counter, settings.idle_timeout, settings.language) == ("L07", 30, "id")
