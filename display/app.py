"""`antrian display`: the waiting-room TV board with its voice."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from display.announcements import AnnouncementQueue
from display.audio import ClipPack, Espeak, Speaker, Voice, write_chime
from display.player import AnnouncementPlayer
from display.settings import DisplaySettings, load
from display.viewmodel import BoardViewModel
from shared.engine import QueueEngine
from shared.qt.event_loop import run_until_quit
from shared.qt.qml_window import application, load_window, show_window

QML = Path(__file__).parent / "qml" / "Board.qml"
CACHE = Path(platformdirs.user_cache_dir("antrian", appauthor=False)) / "voice"


def make_speaker(settings: DisplaySettings, cache: Path = CACHE) -> Speaker:
    """The voices to try, in order (see display.audio), after the project's own chime."""
    chime_path = cache / "chime.wav"
    chime = write_chime(chime_path)
    voices: list[Voice] = []
    if settings.voice in ("auto", "clips") and settings.clips is not None:
        voices.append(ClipPack(settings.clips, cache))
    if settings.voice in ("auto", "espeak"):
        voices.append(Espeak(cache))
    return Speaker(voices, chime)


def make_player(
    settings: DisplaySettings,
    play_audio: bool = True,
    cache: Path = CACHE,
) -> AnnouncementPlayer | None:
    if settings.voice == "off":
        return None
    return AnnouncementPlayer(
        AnnouncementQueue(settings.state_file, settings.announce_cap),
        make_speaker(settings, cache),
        lang=settings.language,
        number_mode=settings.numbers,
        zero=settings.zero,
        templates=settings.templates,
        volume=settings.volume,
        play_audio=play_audio,
    )


def run(config: str | None, database: str | None = None, zone: str | None = None) -> int:
    settings = load(config, database, zone)
    app = application(software=settings.renderer == "software")
    player = make_player(settings)
    vm = BoardViewModel(
        settings, lambda: QueueEngine.open(settings.database, actor="display"), player
    )
    _engine, window = load_window(QML, vm)
    show_window(window, settings.width, settings.height, settings.fullscreen)
    return run_until_quit(app, vm)
