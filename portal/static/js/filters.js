/* The search filters, enhanced: the page works the same without this file.
   - A ticked or cleared box applies at once (the form is submitted, as "Apply filters" would), and the
     note saying so is shown before the boxes (WCAG 3.2.2: a change of context announced beforehand).
   - On a narrow screen the filters start folded behind their "Filter" button, unless the person opened them.
   - Which groups are open, and the box last changed, survive the reload the submission causes, so keyboard
     and screen reader users carry on where they were. */
(function () {
  "use strict";
  var form = document.querySelector("form.search-form");
  var panel = form && form.querySelector("[data-filter-panel]");
  if (!panel || !window.sessionStorage) {
    return;
  }
  var store = window.sessionStorage;
  var note = panel.querySelector("[data-filters-note]");
  if (note) {
    note.hidden = false;
  }

  var narrow = window.matchMedia("(max-width: 48rem)");
  function fold() {
    var wanted = store.getItem("filters:panel");
    panel.open = narrow.matches ? wanted === "open" : true;
  }
  fold();
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fold);
  }
  panel.addEventListener("toggle", function () {
    if (narrow.matches) {
      store.setItem("filters:panel", panel.open ? "open" : "closed");
    }
  });

  var groups = panel.querySelectorAll("details[data-facet]");
  Array.prototype.forEach.call(groups, function (group) {
    var key = "filters:group:" + group.getAttribute("data-facet");
    var wanted = store.getItem(key);
    if (wanted !== null && !group.querySelector("input:checked")) {
      group.open = wanted === "open";
    }
    group.addEventListener("toggle", function () {
      store.setItem(key, group.open ? "open" : "closed");
    });
  });

  var boxes = panel.querySelectorAll("details[data-facet] input[type=checkbox]");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      store.setItem("filters:focus", box.id);
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  });

  var last = store.getItem("filters:focus");
  store.removeItem("filters:focus");
  var again = last && document.getElementById(last);
  if (again && panel.open) {
    again.focus();
  }
})();
