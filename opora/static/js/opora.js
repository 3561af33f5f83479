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

  // A form is sent once: after the click its buttons wait until the page answers, so a double
  // click does not send it twice (the server refuses a second copy too: opora/core/once.py).
  var SENDING = "data-sending";
  var RELEASE_MS = 8000; // a download answers without leaving the page: give the buttons back

  function buttons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("button, input[type=submit]"));
    var outside = form.id
      ? Array.prototype.slice.call(document.querySelectorAll('[form="' + form.id + '"]'))
      : [];
    return inside.concat(outside).filter(function (b) {
      return !b.type || b.type === "submit";
    });
  }

  function release(form) {
    form.removeAttribute(SENDING);
    buttons(form).forEach(function (b) {
      if (b.hasAttribute("data-disabled-by-send")) {
        b.disabled = false;
        b.removeAttribute("data-disabled-by-send");
        b.removeAttribute("aria-busy");
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute(SENDING)) {
      event.preventDefault();
      return;
    }
    form.setAttribute(SENDING, "1");
    // Disabled only after the browser has read the form: the pressed button's name and value
    // («decision=accept») are still sent.
    window.setTimeout(function () {
      buttons(form).forEach(function (b) {
        if (!b.disabled) {
          b.disabled = true;
          b.setAttribute("data-disabled-by-send", "1");
          b.setAttribute("aria-busy", "true");
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_MS);
  }, false);

  // HTMX forms stay on the page: they are given back as soon as the answer came.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    if (form) { release(form); }
  });

  // <form data-unsaved-warning>: leaving the page with changes not saved asks first. An item
  // card (.item-card) saved alone by HTMX is swapped for a fresh one, clean again.
  var DIRTY = "data-dirty";
  function guarded(el) {
    return el && el.closest ? el.closest("form[data-unsaved-warning]") : null;
  }
  function showDirty(form) {
    var note = form.querySelector("[data-unsaved-note]");
    if (note) { note.hidden = !form.querySelector("[" + DIRTY + "]"); }
  }
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = guarded(event.target);
      if (!form) { return; }
      (event.target.closest(".item-card") || form).setAttribute(DIRTY, "1");
      showDirty(form);
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-unsaved-warning")) {
      form.removeAttribute(DIRTY);
      Array.prototype.forEach.call(form.querySelectorAll("[" + DIRTY + "]"), function (el) {
        el.removeAttribute(DIRTY);
      });
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = guarded(event.target);
    if (form) { showDirty(form); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-unsaved-warning] [" + DIRTY + "], form[data-unsaved-warning][" + DIRTY + "]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back to a page kept by the browser: its forms may be sent again (the server decides).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form[" + SENDING + "]"), release);
    }
  });
})();
