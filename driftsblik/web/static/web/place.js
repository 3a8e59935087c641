/*
 * Keep the place (driftsblik/ui/place.py): a page opened at the unit and period kept from an
 * earlier page, with no ?periode= or ?enhed= in its address, names them in
 * <meta name="driftsblik-place-url" content="/enhed/S1/?periode=2025Q1">. This script writes that
 * address into the address bar (history.replaceState: no new request, no new history entry), so
 * the address a person copies, bookmarks or sends reproduces the page they see.
 */
(function () {
  "use strict";

  function writeAddress() {
    var meta = document.querySelector('meta[name="driftsblik-place-url"]');
    var url = meta && meta.getAttribute("content");
    if (!url || !window.history || !window.history.replaceState) {
      return;
    }
    var target = new URL(url, window.location.href);
    if (target.origin !== window.location.origin || target.pathname !== window.location.pathname) {
      return; // only ever this page's own address
    }
    if (target.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", target.pathname + target.search + window.location.hash);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", writeAddress);
  } else {
    writeAddress();
  }
})();
