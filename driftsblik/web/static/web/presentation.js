/*
 * Driftsblik presentation view (web/presentation.html): the slides of a committee in the meeting room.
 *
 * Every slide is its own page with links to the previous and next slide (a[rel="prev"],
 * a[rel="next"]), so it works without this script. The body is hx-boost'ed: htmx follows the links
 * by swapping the body and pushing the slide's address, so a full-screen presentation stays full
 * screen from slide to slide (a page load would leave full screen). The script adds:
 * - the arrow keys: ArrowRight (and PageDown) follow the "next" link, ArrowLeft (and PageUp) the
 *   "previous" link (a presenter's clicker sends PageUp/PageDown); not while typing in a field or
 *   with a modifier key held;
 * - Escape, when the page is not full screen, follows the link that leaves the presentation;
 * - the "Full screen" button (hidden until the browser can go full screen).
 * No eval, no inline script: the Content-Security-Policy forbids both.
 */
(function () {
  "use strict";

  var KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    return target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName);
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) {
      link.click(); // through htmx's boost when it is there, a plain link otherwise
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var rel = KEYS[event.key];
    if (rel && follow('a[rel="' + rel + '"]')) {
      event.preventDefault();
    } else if (event.key === "Escape" && !document.fullscreenElement && follow("a[data-exit]")) {
      event.preventDefault();
    }
  });

  function showFullscreenButton() {
    var button = document.querySelector("[data-fullscreen]");
    if (button && document.fullscreenEnabled && document.documentElement.requestFullscreen) {
      button.hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-fullscreen]") : null;
    if (!button) {
      return;
    }
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });

  // a new slide swapped in: its button, and the focus on the slide so a screen reader reads it
  document.addEventListener("htmx:afterSettle", function () {
    showFullscreenButton();
    var main = document.getElementById("main-content");
    if (main) {
      main.focus({ preventScroll: true });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showFullscreenButton);
  } else {
    showFullscreenButton();
  }
})();
