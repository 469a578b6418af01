/* The board page, live: each update from the server's stream replaces the board's content. */
(function () {
  "use strict";
  var script = document.currentScript;
  var board = document.getElementById("board");
  var offline = document.getElementById("offline");
  var stream = new EventSource(script.dataset.stream);
  stream.addEventListener("board", function (event) {
    var update = JSON.parse(event.data);
    if (update.html !== null) board.innerHTML = update.html;
    offline.hidden = update.online;
  });
  stream.onerror = function () { offline.hidden = false; };
})();
