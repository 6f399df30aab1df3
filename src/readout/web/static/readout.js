// readout's pages work without this file; it adds two conveniences.
// 1. A date picker marked data-autosubmit submits its form when a date is chosen.
// 2. On a document page, choosing a record marks every piece of its evidence in the text.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.value && input.form) { input.form.submit(); }
    });
  });

  function focusRecord(index) {
    document.querySelectorAll("mark.hl.focus").forEach(function (m) { m.classList.remove("focus"); });
    document.querySelectorAll(".records li.selected").forEach(function (li) { li.classList.remove("selected"); });
    if (index === null) { return; }
    document.querySelectorAll("mark.hl[data-records]").forEach(function (m) {
      if (m.getAttribute("data-records").split(" ").indexOf(index) !== -1) { m.classList.add("focus"); }
    });
    var item = document.querySelector('.records li[data-index="' + index + '"]');
    if (item) { item.classList.add("selected"); }
  }

  document.querySelectorAll(".records a.jump").forEach(function (link) {
    link.addEventListener("click", function () { focusRecord(link.getAttribute("data-index")); });
  });
  if (location.hash && document.getElementById("doc-text")) {
    var target = document.querySelector('.records a.jump[href="' + CSS.escape(location.hash) + '"]');
    if (target) { focusRecord(target.getAttribute("data-index")); }
  }
})();
