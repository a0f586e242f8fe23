// kpsite: live countdown to the end of a sale. Without JavaScript the page
// shows the end date and time with its zone (the countdown span stays
// hidden); with it, each [data-kpsite-countdown] counts down every second.
// Strings come from the theme (data-left, data-days, data-ended).
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-kpsite-countdown]");
  if (!nodes.length) return;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function text(node, now) {
    var end = Date.parse(node.getAttribute("data-kpsite-countdown"));
    if (isNaN(end)) return null;
    var left = Math.floor((end - now) / 1000);
    if (left <= 0) return node.getAttribute("data-ended") || "";
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    var time = (d > 0 ? (node.getAttribute("data-days") || "{n} d").replace("{n}", d) + " " : "") +
      pad(h) + ":" + pad(m) + ":" + pad(s);
    return (node.getAttribute("data-left") || "{time}").replace("{time}", time);
  }
  function tick() {
    var now = Date.now();
    for (var i = 0; i < nodes.length; i++) {
      var t = text(nodes[i], now);
      if (t === null) continue;
      nodes[i].textContent = t;
      nodes[i].hidden = false;
    }
  }
  tick();
  setInterval(tick, 1000);
})();
