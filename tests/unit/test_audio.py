"""The display's audio: the generated chime, clip packs, espeak-ng, and falling back."""

from __future__ import annotations

import logging
import math
import shutil
import struct
import wave

import pytest

from display.audio import (
    ClipPack,
    Espeak,
    Speaker,
    VoiceUnavailable,
    cached,
    join_wavs,
    wav_seconds,
    write_chime,
)
from display.phrases import call_phrase

PHRASE = call_phrase("A001", "3")


def tone(path, seconds, frequency=440.0, rate=22050):
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / rate)))
        for i in range(int(rate * seconds))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return frames


def test_the_chime_is_a_wav_made_by_our_code(tmp_path):
    sound = write_chime(tmp_path / "chime.wav")
    assert 1.0 < sound.seconds < 2.0
    with wave.open(str(sound.path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)


def test_a_clip_pack_joins_one_clip_per_word_in_order(tmp_path):
    clips = tmp_path / "clips"
    clips.mkdir()
    frames = {
        word: tone(clips / f"{word}.wav", 0.05 + 0.01 * (i % 3), 300 + 40 * i)
        for i, word in enumerate(dict.fromkeys(PHRASE.words))
    }
    expected = b"".join(frames[word] for word in PHRASE.words)
    sound = ClipPack(clips, tmp_path / "cache").render(PHRASE, "id")
    with wave.open(str(sound.path)) as wav:
        assert wav.readframes(wav.getnframes()) == expected


def test_a_clip_pack_missing_a_word_says_which(tmp_path):
    clips = tmp_path / "clips"
    clips.mkdir()
    tone(clips / "nomor.wav", 0.05)
    with pytest.raises(VoiceUnavailable, match=r"antrian\.wav"):
        ClipPack(clips, tmp_path).render(PHRASE, "id")


def test_clips_of_different_formats_are_refused(tmp_path):
    tone(tmp_path / "a.wav", 0.05, rate=22050)
    tone(tmp_path / "b.wav", 0.05, rate=44100)
    with pytest.raises(VoiceUnavailable):
        join_wavs([tmp_path / "a.wav", tmp_path / "b.wav"], tmp_path / "out.wav")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_renders_the_indonesian_phrase_to_a_wav_once(tmp_path):
    voice = Espeak(tmp_path)
    first = voice.render(PHRASE, "id")
    assert first.seconds > 1.5
    assert voice.render(PHRASE, "id").path == first.path  # cached
    assert len(list(tmp_path.glob("espeak-id-*.wav"))) == 1


def test_the_speaker_falls_back_to_the_next_voice_and_logs_why(tmp_path, caplog):
    chime = write_chime(tmp_path / "chime.wav")
    missing_pack = ClipPack(tmp_path / "no-clips", tmp_path)
    no_espeak = Espeak(tmp_path, executable="espeak-ng-not-here")
    with caplog.at_level(logging.WARNING):
        sounds = Speaker([missing_pack, no_espeak], chime).sounds(PHRASE, "id")
    assert [s.path for s in sounds] == [chime.path]  # the chime alone
    assert "clips unavailable" in caplog.text and "espeak-ng unavailable" in caplog.text
    assert wav_seconds(chime.path) == chime.seconds


def float_wav() -> bytes:
    """A 32-bit float WAV, as audio editors export by default (Python's wave reads PCM only)."""
    fmt = struct.pack("<HHIIHH", 3, 1, 22050, 22050 * 4, 4, 32)
    data = struct.pack("<f", 0.5) * 100
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize(
    "content",
    [b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90" * 20, float_wav(), b"", b"RIFF\x00"],
    ids=["an MP3 renamed", "a float WAV", "empty", "cut short"],
)
def test_a_clip_that_is_no_pcm_wav_is_named_and_espeak_ng_speaks_instead(tmp_path, caplog, content):
    clips = tmp_path / "clips"
    clips.mkdir()
    for word in dict.fromkeys(PHRASE.words):
        tone(clips / f"{word}.wav", 0.05)
    (clips / "loket.wav").write_bytes(content)
    chime = write_chime(tmp_path / "chime.wav")
    speaker = Speaker([ClipPack(clips, tmp_path / "cache"), Espeak(tmp_path / "cache")], chime)
    with caplog.at_level(logging.WARNING):
        sounds = speaker.sounds(PHRASE, "id")
    assert len(sounds) == 2 and sounds[1].path.name.startswith("espeak-id-")
    assert "loket.wav is no PCM WAV file" in caplog.text
    assert [f.name for f in (tmp_path / "cache").iterdir() if "clips" in f.name] == []


def test_a_render_cut_short_leaves_nothing_behind_and_is_made_again(tmp_path):
    target = tmp_path / "cache" / "espeak-id-0123.wav"

    def cut_short(path):
        path.write_bytes(b"RIFF\x24\x00")  # the display switched off mid-write
        raise VoiceUnavailable("espeak-ng failed: killed")

    with pytest.raises(VoiceUnavailable):
        cached(target, cut_short)
    assert list(target.parent.iterdir()) == []
    with pytest.raises(VoiceUnavailable, match="unreadable"):
        cached(target, lambda path: path.write_bytes(b"RIFF\x24\x00"))
    assert not target.exists()  # never played, made again next time
    sound = cached(target, lambda path: tone(path, 0.2))
    assert sound.path == target and abs(sound.seconds - 0.2) < 0.01
