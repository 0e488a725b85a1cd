// The copy button of the authenticator set-up (templates/mfa/totp/activate_form.html): it
// copies the key without the spaces that group it for reading. Hidden without JavaScript,
// where the key is selected and copied by hand. Sets data-copied="true" on the button once
// copied (tests wait for it).
(function () {
  "use strict";
  var button = document.getElementById("totp-copy");
  var key = document.getElementById("totp-secret");
  var status = document.getElementById("totp-copy-status");
  if (!button || !key) {
    return;
  }
  var secret = key.getAttribute("data-secret");

  function copied() {
    button.setAttribute("data-copied", "true");
    status.textContent = button.getAttribute("data-copied-label");
  }

  // Without the Clipboard API (a page served over plain http): select the key, copy that.
  function copyBySelection() {
    var range = document.createRange();
    range.selectNodeContents(key);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand && document.execCommand("copy")) {
      copied();
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(secret).then(copied, copyBySelection);
    } else {
      copyBySelection();
    }
  });
})();
