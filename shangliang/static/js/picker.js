// Searchable pickers: Tom Select (served from node_modules) over the plain <select data-picker>
// that core/widgets.py renders, grouped by <optgroup>, suggested groups first. Without this script
// the page keeps the normal select and posts the same values.
(function () {
  "use strict";

  function emptyText(select) {
    const div = document.createElement("div");
    div.className = "no-results";
    div.textContent = select.dataset.emptyText || "";
    return div;
  }

  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") return;
    const multiple = select.dataset.picker === "multiple";
    new window.TomSelect(select, {
      plugins: multiple ? ["remove_button", "checkbox_options"] : ["clear_button"],
      maxOptions: null,
      // The empty choice ("---------") is not an entry: the filter box says what to do, × clears.
      allowEmptyOption: false,
      placeholder: select.dataset.filterPlaceholder,
      searchField: ["text", "optgroup"],
      lockOptgroupOrder: true,
      hideSelected: false,
      closeAfterSelect: !multiple,
      render: {
        no_results: function () {
          return emptyText(select);
        },
      },
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
