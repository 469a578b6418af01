/* The board page, live: each update from the server's stream replaces the board's content. */
(function () {
  "use strict";
  var script = document.currentScript;
  var board = document.getElementById("board");
  var offline = document.getElementById("offline");
  followLive(script.dataset.stream, "board", function (update) {
    if (update.html !== null) board.innerHTML = update.html;
    offline.hidden = update.online;
  }, offline);
})();
