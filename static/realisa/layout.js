/* The page's layout on a narrow screen (base.html), progressive enhancement only.
   - « Menu » shows and hides the navigation and the account (aria-expanded, which the
     stylesheet reads); Escape closes the open menu and gives the focus back to the button.
     Without JavaScript the stylesheet never shows the button (@media (scripting: none)):
     the menu is always open.
   - A wide table's box (.table-scroll) that scrolls sideways takes the keyboard focus, so
     that the arrow keys scroll it; one that fits the screen is no extra tab stop. */
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-button]");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  if (button) {
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  function focusableScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
})();
