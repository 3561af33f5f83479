// Questionnaires: a question shown only after a given answer, and the builder's fields by kind.
// No inline code (CSP): everything hangs on data attributes.
(function () {
  "use strict";

  function chosen(form, name) {
    return Array.from(form.querySelectorAll('[name="' + name + '"]'))
      .filter(function (input) { return input.checked || (input.type !== "radio" && input.type !== "checkbox" && input.value); })
      .map(function (input) { return input.value; });
  }

  // A hidden question is disabled too: its stray answer is not sent (the server drops it anyway).
  function applyConditions(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      const parentBox = document.getElementById(box.dataset.showIf + "-box");
      const parentShown = !parentBox || !parentBox.hidden;
      const show = parentShown && chosen(form, box.dataset.showIf).indexOf(box.dataset.showIfOption) !== -1;
      box.hidden = !show;
      box.querySelectorAll("input, textarea, select").forEach(function (input) { input.disabled = !show; });
    });
  }

  function applyKinds(form) {
    const kind = form.querySelector('[name="kind"]');
    if (!kind) return;
    form.querySelectorAll("[data-kinds]").forEach(function (box) {
      box.hidden = box.dataset.kinds.split(" ").indexOf(kind.value) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-survey]").forEach(function (form) {
      applyConditions(form);
      form.addEventListener("change", function () { applyConditions(form); });
    });
    document.querySelectorAll("form[data-question-form]").forEach(function (form) {
      applyKinds(form);
      form.addEventListener("change", function () { applyKinds(form); });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        const field = document.getElementById(button.dataset.copy);
        field.select();
        if (navigator.clipboard) navigator.clipboard.writeText(field.value);
        button.textContent = "Скопировано";
      });
    });
  });
})();
