/* A page's live stream (Server-Sent Events). The browser reconnects by itself when a
   connection drops, but gives up for good when the server answers with an error (too many
   pages open from one address, a restart under way): then the stream is opened again after
   a few seconds, less often each time, with the page's offline mark shown meanwhile. */
function followLive(url, eventName, onUpdate, offline) {
  "use strict";
  var FIRST_RETRY_MS = 3000, LAST_RETRY_MS = 60000;
  var delay = FIRST_RETRY_MS, stream = null, stopped = false;

  function open() {
    if (stopped) return;
    stream = new EventSource(url);
    stream.addEventListener(eventName, function (event) {
      delay = FIRST_RETRY_MS;
      onUpdate(JSON.parse(event.data));
    });
    stream.onerror = function () {
      offline.hidden = false;
      if (stream.readyState !== EventSource.CLOSED) return;
      setTimeout(open, delay * (0.5 + Math.random()));  // phones refused together come apart
      delay = Math.min(2 * delay, LAST_RETRY_MS);
    };
  }

  open();
  return { close: function () { stopped = true; stream.close(); } };
}
