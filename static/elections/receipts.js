// Receipt codes live only in the voter's own browser (localStorage), never on the server next
// to the voter's name: see templates/elections/_member_votes.html. The receipt page saves the
// code; the member's vote list shows the codes this device holds. The storage key is an
// opaque per-account value, so people sharing a phone do not see each other's codes.
(function () {
  "use strict";
  var PREFIX = "ballot-receipts:";

  function load(owner) {
    try {
      return JSON.parse(window.localStorage.getItem(PREFIX + owner) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function save(owner, receipts) {
    try {
      window.localStorage.setItem(PREFIX + owner, JSON.stringify(receipts));
      return true;
    } catch (error) {
      return false;
    }
  }

  var receipt = document.getElementById("receipt");
  if (receipt && receipt.getAttribute("data-owner")) {
    var owner = receipt.getAttribute("data-owner");
    var receipts = load(owner);
    receipts[receipt.getAttribute("data-poll")] = {
      code: receipt.getAttribute("data-receipt"),
      subject: receipt.getAttribute("data-subject"),
    };
    var saved = save(owner, receipts);
    if (!saved) {
      var warning = document.getElementById("receipt-not-saved");
      if (warning) {
        warning.hidden = false;
      }
    }
    // Tells whoever watches the page (a browser test, assistive scripts) that the code is
    // stored, or that it could not be: "true" or "false", set once the attempt is over.
    receipt.setAttribute("data-stored", saved ? "true" : "false");
  }

  document.querySelectorAll("[data-receipts-owner]").forEach(function (list) {
    var stored = load(list.getAttribute("data-receipts-owner"));
    list.querySelectorAll("[data-receipt-for-poll]").forEach(function (slot) {
      var entry = stored[slot.getAttribute("data-receipt-for-poll")];
      if (!entry || !entry.code) {
        return;
      }
      slot.textContent = "";
      var label = document.createElement("span");
      label.textContent = (list.getAttribute("data-receipt-label") || "Receipt code") + ": ";
      var bulletin = slot.getAttribute("data-bulletin-url");
      var code = document.createElement(bulletin ? "a" : "code");
      code.className = "receipt-inline";
      code.textContent = entry.code;
      if (bulletin) {
        code.href = bulletin + "?receipt=" + encodeURIComponent(entry.code);
      }
      slot.appendChild(label);
      slot.appendChild(code);
    });
  });
})();
