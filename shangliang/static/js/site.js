// Small behaviours that would otherwise be inline handlers, which the Content-Security-Policy
// refuses: a select marked data-autosubmit submits its form when changed, and a button marked
// data-print opens the print dialog.
// Listening on the document also covers content that htmx swaps in later.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();
