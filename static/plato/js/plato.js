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
  // <select data-autosubmit>: a choice sends its form (a "Move" button stays for no-JS use).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.value) {
      select.form.requestSubmit();
    }
  });
})();
