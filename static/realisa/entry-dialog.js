/* The hours entry window: htmx loads it into a native <dialog> (focus kept inside,
   Escape closes); focus goes to the element marked data-autofocus and back to the
   month's icon on close. Without JavaScript the icon is a plain link to the page. */
(function () {
  "use strict";
  var opener = null;

  function contentSwapped(event) {
    return event.detail.target && event.detail.target.id === "saisie-contenu";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-entry-link]");
    if (link) { opener = link; }
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
    var dialog = document.getElementById("saisie-dialog");
    if (dialog && !dialog.open) { dialog.showModal(); }
    var target = event.detail.target.querySelector("[data-autofocus]");
    if (target) { target.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("saisie-dialog");
    if (!dialog) { return; }
    dialog.addEventListener("close", function () {
      document.getElementById("saisie-contenu").innerHTML = "";
      if (opener) { opener.focus(); }
    });
  });
})();
