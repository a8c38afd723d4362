// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Announce HTMX results to screen readers through the shared live region.
  function announce(text) {
    var live = document.getElementById("live");
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var message = target && target.querySelector("[data-announce]");
    if (message) announce(message.getAttribute("data-announce"));
  });

  document.addEventListener("htmx:responseError", function () {
    announce(document.documentElement.lang === "sv"
      ? "Något gick fel. Ingenting sparades."
      : "Something went wrong. Nothing was saved.");
  });

  document.addEventListener("htmx:sendError", function () {
    announce(document.documentElement.lang === "sv"
      ? "Ingen kontakt med servern. Försök igen."
      : "No connection to the server. Try again.");
  });

  // A section loaded after the page (hx-trigger="load") that the URL points to (#initiative-library, after
  // adopting a standard measure): scroll to it once it is in place, since the content above it has grown.
  document.addEventListener("htmx:load", function (event) {
    var el = event.target;
    if (el && el.id && window.location.hash === "#" + el.id && el.scrollIntoView) {
      window.requestAnimationFrame(function () { el.scrollIntoView({block: "start"}); });
    }
  });

  // Confirm dangerous actions declared with data-confirm (no inline scripts under our CSP).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
