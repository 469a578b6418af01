/* The ticket page, live: applies each update from the server's stream; on a call it shows
   "Giliran Anda" full screen, with a chime and a vibration once the citizen has tapped. */
(function () {
  "use strict";
  var script = document.currentScript;
  var calls = parseInt(script.dataset.calls, 10) || 0;
  var wasCalled = script.dataset.called === "true";
  var offline = document.getElementById("offline");
  var turn = document.getElementById("turn");
  var soundButton = document.getElementById("sound");
  var audio = null;

  function unlock() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
  }

  function chime() {
    if (!audio) return;
    var start = audio.currentTime;
    [660, 880, 660, 880].forEach(function (frequency, i) {
      var at = start + i * 0.3;
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = frequency;
      tone.connect(gain);
      gain.connect(audio.destination);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.28);
      tone.start(at);
      tone.stop(at + 0.3);
    });
  }

  function announce() {
    turn.hidden = false;
    chime();
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
    document.getElementById("turn-close").focus();
  }

  function apply(view) {
    document.querySelectorAll("[data-field]").forEach(function (element) {
      var value = view[element.dataset.field];
      if (typeof value !== "string") return;
      element.textContent = value;
      element.hidden = value === "";
    });
    document.title = view.title;
    document.body.className = "ticket state-" + view.state;
    offline.hidden = view.online;
    if (view.called && (!wasCalled || view.calls > calls)) announce();
    if (!view.called) turn.hidden = true;
    wasCalled = view.called;
    calls = view.calls;
    if (!view.live) stream.close();
  }

  soundButton.hidden = false;
  soundButton.addEventListener("click", function () {
    unlock();
    if (navigator.vibrate) navigator.vibrate(60);
    soundButton.textContent = script.dataset.soundReady;
    soundButton.disabled = true;
  });
  document.addEventListener("pointerdown", unlock, { once: true });
  document.getElementById("turn-close").addEventListener("click", function () {
    turn.hidden = true;
  });
  if (wasCalled) turn.hidden = false;

  var stream = followLive(script.dataset.stream, "ticket", apply, offline);
})();
