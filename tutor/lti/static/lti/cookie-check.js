// The LTI login inside a platform's frame: if the browser keeps a cookie
// set here (SameSite=None; Secure), go on with the login; if not (third-party
// cookies blocked), show the link that opens the tool in a new window.
(function () {
  "use strict";
  var box = document.getElementById("lti-cookie-check");
  if (!box) return;
  var name = "lti_cookie_check";
  document.cookie = name + "=1; path=/; max-age=60; SameSite=None; Secure";
  if (document.cookie.indexOf(name + "=1") !== -1) {
    window.location.replace(box.getAttribute("data-continue-url"));
    return;
  }
  document.getElementById("lti-checking").hidden = true;
  document.getElementById("lti-blocked").hidden = false;
})();
