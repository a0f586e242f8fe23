// kpsite course player: click-to-load videos and the reader's progress.
// Progressive enhancement only: without this script a video is a link to
// its host and progress is simply not shown. Progress lives in this
// browser's localStorage and nowhere else: no server, no tracking.
(function () {
  "use strict";

  // ---- Videos: nothing is requested from the host before the click. ----

  function playerFor(box) {
    var src = box.getAttribute("data-embed");
    var title = box.getAttribute("data-title") || "";
    if (!/^https:\/\//.test(src)) return null;
    var el;
    if (box.getAttribute("data-host") === "file") {
      el = document.createElement("video");
      el.controls = true;
      el.autoplay = true;
      el.playsInline = true;
      el.setAttribute("aria-label", title);
    } else {
      el = document.createElement("iframe");
      el.title = title;
      el.allow = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen";
      el.allowFullscreen = true;
      el.referrerPolicy = "strict-origin-when-cross-origin";
    }
    el.src = src;
    el.className = "video-player";
    return el;
  }

  // The facade's link becomes a button: it plays here instead of leaving.
  function upgradeFacades(root) {
    var links = root.querySelectorAll("[data-kpsite-video] > a.video-facade");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var button = document.createElement("button");
      button.type = "button";
      button.className = a.className;
      button.innerHTML = a.innerHTML;
      a.parentNode.replaceChild(button, a);
    }
  }

  document.addEventListener("click", function (e) {
    var facade = e.target.closest && e.target.closest("[data-kpsite-video] > .video-facade");
    if (!facade) return;
    var box = facade.parentNode;
    var player = playerFor(box);
    if (!player) return;
    e.preventDefault();
    box.replaceChild(player, facade);
    box.classList.add("playing");
    player.focus();
  });

  // ---- Progress ----

  // One record per site: the site's base path is where this script is.
  var me = document.currentScript;
  var KEY = "kpsite-progress:" + (me ? new URL(me.src, location.href).pathname.replace(/player\.js$/, "") : "/");
  var store = null;
  try {
    store = window.localStorage;
    store.getItem(KEY);
  } catch (err) {
    store = null;
  }

  function load() {
    try {
      var data = JSON.parse(store.getItem(KEY) || "{}");
      return data && typeof data === "object" ? data : {};
    } catch (err) {
      return {};
    }
  }

  function save(data) {
    try {
      store.setItem(KEY, JSON.stringify(data));
    } catch (err) {
      /* full or refused: progress is a convenience, not a must */
    }
  }

  function course(data, id) {
    var c = data[id];
    if (!c || typeof c !== "object" || !Array.isArray(c.done)) {
      c = data[id] = { done: [], last: null };
    }
    return c;
  }

  function isDone(c, slug) {
    return c.done.indexOf(slug) >= 0;
  }

  function setDone(id, slug, done) {
    var data = load();
    var c = course(data, id);
    var at = c.done.indexOf(slug);
    if (done && at < 0) c.done.push(slug);
    if (!done && at >= 0) c.done.splice(at, 1);
    save(data);
    paint();
  }

  function fill(template, done, total) {
    return template.replace("{done}", String(done)).replace("{total}", String(total));
  }

  // Shows done marks, counts and the continue link from what is stored.
  function paint() {
    var data = load();
    var lists = document.querySelectorAll("[data-kpsite-course]");
    for (var i = 0; i < lists.length; i++) {
      var c = course(data, lists[i].getAttribute("data-kpsite-course"));
      var items = lists[i].querySelectorAll("[data-kpsite-lesson]");
      for (var j = 0; j < items.length; j++) {
        var done = isDone(c, items[j].getAttribute("data-kpsite-lesson"));
        items[j].classList.toggle("done", done);
        var mark = items[j].querySelector(".done-mark");
        if (mark) mark.hidden = !done;
      }
    }
    var boxes = document.querySelectorAll("[data-kpsite-course-progress]");
    for (var k = 0; k < boxes.length; k++) {
      paintCourse(boxes[k], course(data, boxes[k].getAttribute("data-kpsite-course-progress")));
    }
    var here = document.querySelector("[data-kpsite-current]");
    var button = document.querySelector("[data-kpsite-done]");
    if (here && button) {
      var c2 = course(data, here.getAttribute("data-kpsite-course"));
      button.setAttribute("aria-pressed", String(isDone(c2, here.getAttribute("data-kpsite-current"))));
    }
  }

  function paintCourse(box, c) {
    var total = parseInt(box.getAttribute("data-total"), 10) || 0;
    // Only lessons the page lists count when it lists them (a lesson may
    // have been removed since); cards count what is stored, capped.
    var section = box.closest("[data-kpsite-course]");
    var slugs = [];
    if (section) {
      var items = section.querySelectorAll("[data-kpsite-lesson]");
      for (var i = 0; i < items.length; i++) slugs.push(items[i].getAttribute("data-kpsite-lesson"));
    }
    var done = section
      ? slugs.filter(function (s) { return isDone(c, s); }).length
      : Math.min(c.done.length, total);
    var count = box.querySelector("[data-kpsite-count]");
    if (count) count.textContent = fill(count.getAttribute("data-template") || "{done}/{total}", done, total);
    box.hidden = done === 0 && !c.last;
    var link = box.querySelector("[data-kpsite-continue]");
    if (link && section) {
      var next = continueAt(c, slugs);
      var item = next && section.querySelector('[data-kpsite-lesson="' + cssEscape(next) + '"] a');
      box.querySelector("[data-kpsite-continue-box]").hidden = !item;
      if (item) {
        link.href = item.href;
        link.querySelector("[data-kpsite-continue-title]").textContent = item.querySelector(".ltitle").textContent;
      }
    }
  }

  // The last lesson opened, or the first one not done after it.
  function continueAt(c, slugs) {
    var at = c.last ? slugs.indexOf(c.last) : -1;
    if (at < 0) return null;
    for (var i = at; i < slugs.length; i++) {
      if (!isDone(c, slugs[i])) return slugs[i];
    }
    return slugs[at];
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&");
  }

  function lessonPage() {
    var here = document.querySelector("[data-kpsite-current]");
    if (!here) return;
    var id = here.getAttribute("data-kpsite-course");
    var slug = here.getAttribute("data-kpsite-current");
    var data = load();
    course(data, id).last = slug;
    save(data);
    var box = document.querySelector("[data-kpsite-progress]");
    if (!box) return;
    box.hidden = false;
    var button = box.querySelector("[data-kpsite-done]");
    var status = box.querySelector("[data-kpsite-status]");
    // Set once the reader presses the button: their choice then stands.
    var chose = false;
    button.addEventListener("click", function () {
      chose = true;
      var done = button.getAttribute("aria-pressed") !== "true";
      setDone(id, slug, done);
      status.textContent = status.getAttribute(done ? "data-done" : "data-undone");
    });
    // Reaching the end (the button scrolled into view after the reader
    // scrolled) marks the lesson done as they leave the page, unless they
    // chose otherwise with the button meanwhile. Marking it at once would
    // turn a click on the button, a moment later, into "not done".
    if ("IntersectionObserver" in window) {
      var scrolled = false;
      var reached = false;
      window.addEventListener("scroll", function () { scrolled = true; }, { passive: true });
      new IntersectionObserver(function (entries) {
        if (scrolled && entries[entries.length - 1].isIntersecting) reached = true;
      }).observe(box);
      var leave = function () {
        if (reached && !chose) {
          var data = load();
          var c = course(data, id);
          if (!isDone(c, slug)) c.done.push(slug);
          save(data);
        }
      };
      window.addEventListener("pagehide", leave);
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") leave();
      });
    }
  }

  function resetButtons() {
    var buttons = document.querySelectorAll("[data-kpsite-reset]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (e) {
        var box = e.target.closest("[data-kpsite-course-progress]");
        if (!box || !window.confirm(e.target.getAttribute("data-confirm"))) return;
        var data = load();
        delete data[box.getAttribute("data-kpsite-course-progress")];
        save(data);
        paint();
      });
    }
  }

  // The course navigation is open beside the lesson on wide screens and
  // folded above it on phones.
  function navOpen() {
    var nav = document.querySelector("[data-kpsite-nav]");
    if (nav && window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) nav.open = true;
  }

  // Code blocks and tables wider than the column scroll sideways; a
  // keyboard reaches them (and scrolls them) once they take focus.
  function focusableScrollers() {
    var wide = document.querySelectorAll(".prose pre, .prose table");
    for (var i = 0; i < wide.length; i++) {
      if (wide[i].scrollWidth > wide[i].clientWidth && !wide[i].hasAttribute("tabindex")) {
        wide[i].setAttribute("tabindex", "0");
      }
    }
  }

  function start() {
    upgradeFacades(document);
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
    navOpen();
    if (!store) return;
    lessonPage();
    resetButtons();
    paint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
