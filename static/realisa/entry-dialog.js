/* The hours entry window: htmx loads it into a native <dialog> (focus kept inside,
   Escape closes); focus goes to the element marked data-autofocus and back to the
   month's icon on close. « Fermer » or Escape with hours typed and not saved asks
   first. Without JavaScript the icon is a plain link to the page. */
(function () {
  "use strict";
  var opener = null;
  var unsaved = false;
  var QUESTION = "Les heures saisies ne sont pas enregistrées. Fermer la fenêtre sans les enregistrer ?";

  function contentSwapped(event) {
    return event.detail.target && event.detail.target.id === "saisie-contenu";
  }

  function mayClose() {
    return !unsaved || window.confirm(QUESTION);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-entry-link]");
    if (link) { opener = link; }
    var close = event.target.closest && event.target.closest("[data-entry-close]");
    if (close && !mayClose()) { event.preventDefault(); }
  });

  // Anything typed in the window (the boxes, the reason, the ticks) is unsaved until « OK ».
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest("#saisie-contenu [data-entry-form]")) {
        unsaved = true;
      }
    });
  });

  // A refusal (409: locked month, stale hours) still shows its message in the window.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (contentSwapped(event) && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!contentSwapped(event)) { return; }
    // A freshly opened window holds nothing unsaved; a window shown again after a button
    // (« Ajouter un jour », a refusal…) still holds what was typed.
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "get") { unsaved = false; }
    var dialog = document.getElementById("saisie-dialog");
    if (dialog && !dialog.open) { dialog.showModal(); }
    var target = event.detail.target.querySelector("[data-autofocus]");
    if (target) { target.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("saisie-dialog");
    if (!dialog) { return; }
    // Escape: the dialog's own cancel may not be cancellable twice in a row (Chrome), so
    // the key is taken here and the window closes only once the person agrees.
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      event.preventDefault();
      if (mayClose()) { dialog.close(); }
    });
    dialog.addEventListener("cancel", function (event) {
      if (!mayClose()) { event.preventDefault(); }
    });
    dialog.addEventListener("close", function () {
      unsaved = false;
      document.getElementById("saisie-contenu").innerHTML = "";
      if (opener) { opener.focus(); }
    });
  });
})();
