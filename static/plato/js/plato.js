// Small behaviours the pages share. Everything works without JavaScript too.
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before sending an action that is hard to undo.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // <form data-submit-on-load>: sent as soon as the page opens. The e-mail's one-click
  // answer: a person's browser records it at once, a mail filter that opens links
  // without running scripts records nothing.
  document.querySelectorAll("form[data-submit-on-load]").forEach(function (form) {
    form.requestSubmit();
  });
  // <select data-autosubmit>: a choice sends its form (a "Move" button stays for no-JS use).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.value) {
      select.form.requestSubmit();
    }
  });
  // <input data-select-on-focus>: one click selects the whole value, ready to copy.
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-select-on-focus]")) {
      input.select();
    }
  });
  // <button data-copy="#id" hidden>: copies the field's value; shown only where the
  // browser can copy (the field stays selectable by hand everywhere).
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.querySelector(button.getAttribute("data-copy"));
        var label = button.querySelector("span");
        if (!field) {
          return;
        }
        navigator.clipboard.writeText(field.value).then(function () {
          if (label) {
            label.textContent = button.getAttribute("data-copied-label") || label.textContent;
          }
        });
      });
    });
  }
})();
