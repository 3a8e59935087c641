/*
 * Driftsblik page script.
 *
 * Charts: every element with data-chart="ID" is rendered from the Vega-Lite spec in
 * <script type="application/json" id="ID"> (built by driftsblik/ui/charts.py), on page load
 * and after every htmx swap. The container gets role="img" and the spec's description as its
 * accessible name; numbers and dates use the Danish locale (1.234,5 and 12,3 %).
 *
 * The spec's script sits inside a <template class="chart-spec">: htmx (allowScriptTags=false)
 * removes every <script> from swapped-in content, but does not look inside templates, so the
 * spec survives a swap; and it is inert (no duplicate ids in the document, no text).
 *
 *   <figure class="chart">
 *     <div data-chart="trend-42"></div>
 *     <template class="chart-spec">{{ spec|json_script:"trend-42" }}</template>
 *   </figure>
 *
 * Design system: DKFDS components (accordions, tabs, ...) are initialised in new content too.
 */
(function () {
  "use strict";

  // d3-format locale for da-DK; percent with a (non-breaking) space before the sign: 12,3 %
  var DA_FORMAT = {
    decimal: ",",
    thousands: ".",
    grouping: [3],
    currency: ["", "\u00a0kr."],
    percent: "\u00a0%",
    minus: "\u2212",
  };

  // d3-time-format locale for da-DK
  var DA_TIME = {
    dateTime: "%A den %d. %B %Y %X",
    date: "%d.%m.%Y",
    time: "%H.%M.%S",
    periods: ["AM", "PM"],
    days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
      "oktober", "november", "december"],
    shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
  };

  // charts.py names the PDF font; in the browser the page font comes first, then fallbacks
  var BROWSER_FONT = "IBM Plex Sans, DejaVu Sans, Arial, sans-serif";

  // Under the page's Content-Security-Policy (no eval, no inline style): Vega's expressions run in
  // its interpreter (ast) instead of being compiled with Function(), and vega-embed and
  // vega-tooltip inject no <style> elements (their rules are in driftsblik.css)
  var EMBED_OPTIONS = {
    actions: false,
    renderer: "svg",
    formatLocale: DA_FORMAT,
    timeFormatLocale: DA_TIME,
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  var views = new WeakMap();

  function findSpecSource(id) {
    var source = document.getElementById(id);
    if (source) {
      return source;
    }
    var templates = document.querySelectorAll("template.chart-spec");
    for (var i = 0; i < templates.length; i++) {
      source = templates[i].content.getElementById(id);
      if (source) {
        return source;
      }
    }
    return null;
  }

  function readSpec(container) {
    var id = container.getAttribute("data-chart");
    var source = id && findSpecSource(id);
    if (!source) {
      throw new Error("no chart spec with id " + id);
    }
    var spec = JSON.parse(source.textContent);
    if (spec.config && spec.config.font === "DejaVu Sans") {
      spec.config.font = BROWSER_FONT;
    }
    fitToContainer(spec, container);
    return spec;
  }

  // a legend beside the plot leaves a phone's plot no room: below it instead
  var NARROW = 560;

  function legendsBelow(spec) {
    var parts = [spec].concat(spec.layer || []);
    parts.forEach(function (part) {
      var encoding = part.encoding || {};
      Object.keys(encoding).forEach(function (channel) {
        var legend = encoding[channel] && encoding[channel].legend;
        if (legend && (legend.orient === "right" || legend.orient === "left")) {
          legend.orient = "bottom";
          legend.direction = "vertical";
        }
      });
    });
  }

  // charts.py gives a fixed width (the PDF's); in the page a chart takes its container's width,
  // axes and legend included, so it is never scaled down (its text keeps the spec's size, at
  // least 11 px, on a phone too) and never wider than the page. Charts with their own sizing
  // (sparklines: autosize set) keep it; the height stays the spec's.
  function fitToContainer(spec, container) {
    if (spec.autosize || typeof spec.width !== "number") {
      return;
    }
    spec.width = "container";
    spec.autosize = { type: "fit-x", contains: "padding", resize: true };
    // month labels that would overlap on a narrow chart: every other one instead
    spec.config = spec.config || {};
    spec.config.axisX = Object.assign({ labelOverlap: "greedy" }, spec.config.axisX);
    if (container.clientWidth && container.clientWidth < NARROW) {
      legendsBelow(spec);
    }
  }

  function renderChart(container) {
    if (container.hasAttribute("data-chart-state")) {
      return; // rendered, rendering, or failed before: content from a new swap has no state
    }
    container.setAttribute("data-chart-state", "rendering");
    var spec;
    try {
      spec = readSpec(container);
    } catch (error) {
      container.setAttribute("data-chart-state", "error");
      console.error("Driftsblik chart:", error);
      return;
    }
    container.setAttribute("role", "img");
    if (spec.description) {
      container.setAttribute("aria-label", spec.description);
    }
    vegaEmbed(container, spec, EMBED_OPTIONS)
      .then(function (result) {
        views.set(container, result);
        container.setAttribute("data-chart-state", "rendered");
        // the container is the accessible image: Vega marks its container as a
        // graphics-document, which screen readers announce poorly; keep it a plain image
        container.setAttribute("role", "img");
        container.removeAttribute("aria-roledescription");
        if (spec.description) {
          container.setAttribute("aria-label", spec.description);
        }
        var svg = container.querySelector("svg");
        if (svg) {
          svg.setAttribute("aria-hidden", "true");
          svg.setAttribute("focusable", "false");
        }
      })
      .catch(function (error) {
        container.setAttribute("data-chart-state", "error");
        console.error("Driftsblik chart " + container.getAttribute("data-chart") + ":", error);
      });
  }

  function renderCharts(root) {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var scope = root && root.querySelectorAll ? root : document;
    var containers = scope.querySelectorAll("[data-chart]");
    for (var i = 0; i < containers.length; i++) {
      renderChart(containers[i]);
    }
  }

  function whenFontsReady(callback) {
    // measure axis labels in the page font, not a fallback
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(callback, callback);
    } else {
      callback();
    }
  }

  function initDesignSystem(scope) {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init(scope ? { scope: scope } : undefined);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initDesignSystem();
    whenFontsReady(function () {
      renderCharts(document);
    });
  });

  // after an htmx swap: render new charts anywhere in the page (rendered ones are skipped)
  document.addEventListener("htmx:afterSettle", function () {
    renderCharts(document);
  });

  // DKFDS components in swapped-in content; htmx:load fires for each new element
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail && event.detail.elt;
    if (element && element !== document.body) {
      initDesignSystem(element);
    }
  });

  // free Vega views (and their listeners) of charts that htmx removes
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = event.detail && event.detail.elt;
    if (!element || !element.querySelectorAll) {
      return;
    }
    var containers = [element].concat(Array.prototype.slice.call(element.querySelectorAll("[data-chart]")));
    containers.forEach(function (container) {
      var result = views.get(container);
      if (result) {
        result.finalize();
        views.delete(container);
      }
    });
  });

  window.Driftsblik = window.Driftsblik || {};
  window.Driftsblik.renderCharts = renderCharts;
})();
