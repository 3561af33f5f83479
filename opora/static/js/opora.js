// Behaviour the templates ask for by data attributes: the Content-Security-Policy allows no
// inline event handlers (onclick=, onchange=, onsubmit=).
(function () {
  "use strict";

  // <select data-autosubmit>: a filter applies as soon as it is chosen.
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.submit();
    }
  });

  // <form data-confirm="Удалить?">: asks before an irreversible action.
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      const question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
