// The deep-linking answer: post it back to the platform at once (the
// button stays for a browser without script).
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (form) form.submit();
})();
