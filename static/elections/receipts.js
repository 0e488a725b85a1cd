// Receipt codes live only in the voter's own browser (localStorage), never on the server next
// to the voter's name: see templates/elections/_member_votes.html. The confirmation page makes
// the code and saves it before the ballot is sent (marked pending); the receipt page saves
// the code the ballot box took; the "already voted" page and the member's vote list show the
// codes this device holds. The storage key is an opaque per-account value, so people sharing
// a phone do not see each other's codes.
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

  var ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // as elections/ballot_box/services.py

  // A receipt code like the server's new_receipt(): 12 symbols of 32 in groups of four, from
  // the Web Crypto generator (256 is a multiple of 32, so `byte & 31` is uniform).
  function makeCode() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var code = "";
    for (var i = 0; i < bytes.length; i++) {
      code += ALPHABET.charAt(bytes[i] & 31) + (i === 3 || i === 7 ? "-" : "");
    }
    return code;
  }

  // The ballot page with its form: this voter has not voted, so a code kept from an earlier
  // confirmation that never reached the ballot box is no one's. Forget it.
  // Not when the page comes back from the history, which may show a form from before.
  var navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;
  var fresh = !navigation || navigation.type !== "back_forward";
  var ballot = document.getElementById("ballot-form");
  if (ballot && ballot.getAttribute("data-owner") && fresh) {
    var kept = load(ballot.getAttribute("data-owner"));
    var earlier = kept[ballot.getAttribute("data-poll")];
    if (earlier && earlier.pending) {
      delete kept[ballot.getAttribute("data-poll")];
      save(ballot.getAttribute("data-owner"), kept);
    }
  }

  // The confirmation: make the code and store it first, then send it with the ballot. If
  // the response is lost after the ballot box took the ballot, the browser still holds the
  // code. A second submit (a double tap, a retry) sends the same code. Without Web Crypto
  // or storage the field stays empty and the server makes the code, as without script.
  var cast = document.getElementById("cast-form");
  if (cast && cast.getAttribute("data-owner")) {
    cast.addEventListener("submit", function () {
      var field = cast.querySelector("input[name=receipt]");
      var owner = cast.getAttribute("data-owner");
      var poll = cast.getAttribute("data-poll");
      if (!field || !window.crypto || !window.crypto.getRandomValues) {
        return;
      }
      var receipts = load(owner);
      var entry = receipts[poll];
      var code = entry && entry.pending && entry.code ? entry.code : makeCode();
      receipts[poll] = { code: code, subject: cast.getAttribute("data-subject"), pending: true };
      field.value = save(owner, receipts) ? code : "";
    });
    cast.setAttribute("data-receipt-ready", "true");
  }

  // "Already voted": show the code this browser holds for the poll, if any.
  var held = document.getElementById("held-receipt");
  if (held && held.getAttribute("data-owner")) {
    var heldEntry = load(held.getAttribute("data-owner"))[held.getAttribute("data-poll")];
    if (heldEntry && heldEntry.code) {
      held.querySelector("[data-held-code]").textContent = heldEntry.code;
      held.hidden = false;
    }
    held.setAttribute("data-shown", heldEntry && heldEntry.code ? "true" : "false");
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
      var code = document.createElement("code");
      code.className = "receipt-inline";
      code.textContent = entry.code;
      slot.appendChild(label);
      slot.appendChild(code);
      var token = list.getAttribute("data-csrf");
      if (bulletin && token) {
        // Looked up with a POST: a receipt never goes into a URL, which would reach access
        // logs next to the voter's address and stay in the browser's history.
        var form = document.createElement("form");
        form.method = "post";
        form.action = bulletin;
        form.className = "find-on-board";
        [["csrfmiddlewaretoken", token], ["receipt", entry.code]].forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          form.appendChild(input);
        });
        var button = document.createElement("button");
        button.type = "submit";
        button.className = "button-secondary";
        button.textContent = list.getAttribute("data-find-label") || "Find it on the bulletin board";
        form.appendChild(button);
        slot.appendChild(form);
      }
    });
  });
})();
