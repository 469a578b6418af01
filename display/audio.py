"""WAV audio made by the project itself: the chime, clip assembly, espeak-ng speech.

Voice backends, tried in this order, each falling back to the next with a log line:
1. a site's clip pack: a folder of WAV files named by word (nomor.wav, antrian.wav, a.wav,
   satu.wav, ..., silakan.wav, menuju.wav, loket.wav), joined into one phrase;
2. espeak-ng's Indonesian (or English) voice, rendered to WAV and cached per phrase;
3. the chime alone.
"""

from __future__ import annotations

import hashlib
import logging
import math
import shutil
import struct
import subprocess
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final, Protocol

from display.phrases import Phrase
from shared.i18n import Lang

log = logging.getLogger(__name__)

RATE: Final = 22_050  # samples per second, mono, 16-bit: espeak-ng's own format


@dataclass(frozen=True, slots=True)
class Sound:
    path: Path
    seconds: float


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def write_chime(path: Path) -> Sound:
    """A two-tone "ding-dong" (E5 then C5), synthesised here: no third-party audio."""
    frames = bytearray()
    for frequency, seconds in ((659.25, 0.55), (523.25, 0.9)):
        count = int(RATE * seconds)
        for i in range(count):
            t = i / RATE
            envelope = math.exp(-3.2 * t) * min(1.0, i / 200)
            sample = envelope * (
                math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample * 0.6)) * 32767))
    _write(path, bytes(frames), RATE)
    return Sound(path, wav_seconds(path))


def _write(path: Path, frames: bytes, rate: int, channels: int = 1, width: int = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(frames)


class VoiceUnavailable(Exception):
    """This backend cannot say the phrase (a missing or unreadable clip, no espeak-ng); try
    the next."""


UNREADABLE: Final = (wave.Error, EOFError, OSError)  # what reading a file that is no WAV raises


def cached(target: Path, make: Callable[[Path], None]) -> Sound:
    """The sound at `target`, made by `make(path)` first when it is not there. It is made into
    a file beside it and renamed, so a render cut short (a display switched off, espeak-ng
    killed) never leaves a broken file that would be played, or fail, for ever; a cached file
    that cannot be read is removed, to be made again next time."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part_file = target.with_name(f".{target.name}.part")
        try:
            make(part_file)
            part_file.replace(target)
        finally:
            part_file.unlink(missing_ok=True)
    try:
        return Sound(target, wav_seconds(target))
    except UNREADABLE as error:
        target.unlink(missing_ok=True)
        raise VoiceUnavailable(f"{target} is unreadable ({error})") from error


class Voice(Protocol):
    name: str

    def render(self, phrase: Phrase, lang: Lang) -> Sound: ...


class ClipPack:
    """A folder of recorded WAV clips, one per word, all in one format."""

    name = "clips"

    def __init__(self, folder: Path, cache: Path) -> None:
        self.folder = folder
        self.cache = cache

    def missing(self, phrase: Phrase) -> list[str]:
        return [w for w in phrase.words if not (self.folder / f"{w}.wav").exists()]

    def render(self, phrase: Phrase, lang: Lang) -> Sound:
        missing = self.missing(phrase)
        if missing:
            names = ", ".join(f"{word}.wav" for word in dict.fromkeys(missing))
            raise VoiceUnavailable(f"clip pack {self.folder} lacks {names}")
        target = self.cache / f"clips-{_digest(' '.join(phrase.words))}.wav"
        return cached(target, partial(join_wavs, [self.folder / f"{w}.wav" for w in phrase.words]))


def join_wavs(parts: Sequence[Path], target: Path) -> None:
    """Concatenate WAV files of one format into one."""
    frames = bytearray()
    params = None
    for part in parts:
        try:
            with wave.open(str(part), "rb") as wav:
                shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
                frames += wav.readframes(wav.getnframes())
        except UNREADABLE as error:  # an MP3 renamed, a float WAV from an audio editor
            raise VoiceUnavailable(f"{part} is no PCM WAV file ({error})") from error
        if params is None:
            params = shape
        elif shape != params:
            raise VoiceUnavailable(f"{part} is {shape}, the other clips are {params}")
    assert params is not None
    _write(target, bytes(frames), params[2], params[0], params[1])


class Espeak:
    """espeak-ng rendering to WAV, cached per phrase and language."""

    name = "espeak-ng"

    def __init__(self, cache: Path, executable: str = "espeak-ng") -> None:
        self.cache = cache
        self.executable = shutil.which(executable)

    def render(self, phrase: Phrase, lang: Lang) -> Sound:
        if self.executable is None:
            raise VoiceUnavailable("espeak-ng is not installed")
        executable, voice = self.executable, "id" if lang == "id" else "en"

        def speak(path: Path) -> None:
            try:
                subprocess.run(
                    [executable, "-v", voice, "-s", "140", "-w", str(path), phrase.text],
                    check=True,
                    capture_output=True,
                    timeout=10,
                )
            except (subprocess.SubprocessError, OSError) as error:
                raise VoiceUnavailable(f"espeak-ng failed: {error}") from error

        return cached(self.cache / f"espeak-{lang}-{_digest(phrase.text)}.wav", speak)


class Speaker:
    """Turns a phrase into the sounds to play: the chime, then the best voice available."""

    def __init__(self, voices: Sequence[Voice], chime: Sound) -> None:
        self.voices = list(voices)
        self.chime = chime

    def sounds(self, phrase: Phrase, lang: Lang) -> list[Sound]:
        for voice in self.voices:
            try:
                return [self.chime, voice.render(phrase, lang)]
            except VoiceUnavailable as reason:
                log.warning(
                    "display voice: %s unavailable (%s); trying the next", voice.name, reason
                )
        return [self.chime]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]
